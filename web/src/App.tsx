import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactElement,
} from 'react';
import { ApiError, configureApi, errorText, get } from './api';
import { SessionContext, type Session } from './context';
import { LiveEvents, type LiveState } from './events';
import { navigate, useRoute } from './router';
import { BadgeScreen } from './screens/Badge';
import { SignInScreen } from './screens/SignIn';
import { takeEarlyMe } from './offline/early-requests';
import { isOffline, subscribeNetwork, whenBackOnline } from './offline/network';
import { forgetSavedCopy, saveMe, savedMe } from './offline/saved-copy';
import type { QueueStatus } from './offline/StaffScanner';
import { ConfirmDialog } from './components/ConfirmDialog';
import { LoadErrorBoundary } from './components/LoadErrorBoundary';
import { OfflineBanner } from './components/OfflineBanner';
import { plural } from './format';
import { clearKey, loadKey, saveKey } from './session';
import { loadStation } from './station';
import type { Me, Role, TokensEvent } from './api-types';

// The offline scanner (roster, queue, IndexedDB) is for volunteers and admins only: a hacker's phone never loads it.
const StaffScanner = lazy(() => import('./offline/StaffScanner'));
const KeptScansNotice = lazy(() => import('./offline/KeptScans').then((module) => ({ default: module.KeptScansNotice })));

// Only the hacker's first screen (the badge) is in the first download; the others load when opened.
const CheckpointsScreen = lazy(() => import('./screens/Checkpoints').then((m) => ({ default: m.CheckpointsScreen })));
const CheckInScreen = lazy(() => import('./screens/CheckIn').then((m) => ({ default: m.CheckInScreen })));
const HardwareScreen = lazy(() => import('./screens/Hardware').then((m) => ({ default: m.HardwareScreen })));
const HardwareAdminScreen = lazy(() => import('./screens/HardwareAdmin').then((m) => ({ default: m.HardwareAdminScreen })));
const HardwareDeskScreen = lazy(() => import('./screens/HardwareDesk').then((m) => ({ default: m.HardwareDeskScreen })));
const DataScreen = lazy(() => import('./screens/Data').then((m) => ({ default: m.DataScreen })));
const DashboardScreen = lazy(() => import('./screens/Dashboard').then((m) => ({ default: m.DashboardScreen })));
const KeysScreen = lazy(() => import('./screens/Keys').then((m) => ({ default: m.KeysScreen })));
const KitchenScreen = lazy(() => import('./screens/Kitchen').then((m) => ({ default: m.KitchenScreen })));
const OrderScreen = lazy(() => import('./screens/Order').then((m) => ({ default: m.OrderScreen })));
const ProfileScreen = lazy(() => import('./screens/Profile').then((m) => ({ default: m.ProfileScreen })));
const ScanScreen = lazy(() => import('./screens/Scan').then((m) => ({ default: m.ScanScreen })));
const StationScreen = lazy(() => import('./screens/Station').then((m) => ({ default: m.StationScreen })));
const SearchScreen = lazy(() => import('./screens/Search').then((m) => ({ default: m.SearchScreen })));
const TokensScreen = lazy(() => import('./screens/Tokens').then((m) => ({ default: m.TokensScreen })));

/** A screen in the menu; `more` ones sit behind a "More" button, so the bar fits a phone on one line. */
type NavEntry = [route: string, label: string, more?: 'more'];

const NAV: Record<Role, NavEntry[]> = {
  // The badge shows the balance, so the token history can wait behind "More".
  participant: [
    ['badge', 'Badge'],
    ['scan', 'Scan'],
    ['order', 'Boba'],
    ['hardware', 'Hardware'],
    ['tokens', 'Tokens', 'more'],
    ['profile', 'Profile', 'more'],
  ],
  volunteer: [
    ['station', 'Scan'],
    ['checkin', 'Check-in'],
    ['kitchen', 'Kitchen'],
    ['search', 'Search', 'more'],
    ['desk', 'Hardware desk', 'more'],
  ],
  admin: [
    ['dashboard', 'Dashboard'],
    ['station', 'Scan'],
    ['checkin', 'Check-in'],
    ['search', 'Search', 'more'],
    ['kitchen', 'Kitchen', 'more'],
    ['checkpoints', 'Checkpoints', 'more'],
    ['hardware', 'Hardware', 'more'],
    ['desk', 'Hardware desk', 'more'],
    ['keys', 'Keys', 'more'],
    ['data', 'Data', 'more'],
  ],
};

/** Where a key lands: staff whose phone was set up for a door or checkpoint go straight back to scanning there. */
function homeRoute(role: Role): string {
  if (role !== 'participant' && loadStation() !== null) return 'station';
  return NAV[role][0]![0];
}

const REJECTED = 'That key was not accepted';

/** Volunteers and admins open on a scanning screen: fetch the QR decoder while that screen loads. */
function preloadScanner(me: Me): void {
  if (me.key.role !== 'participant') void import('jsqr');
}
const SIGNED_OUT_401 = 'You were signed out: your key is no longer accepted. Sign in again.';

type Boot = { state: 'checking' } | { state: 'offline'; message: string } | { state: 'ready' };

export function App({ openedFromLink = false }: { openedFromLink?: boolean }) {
  const [key, setKey] = useState<string | null>(() => loadKey());
  const [me, setMe] = useState<Me | null>(null);
  const [boot, setBoot] = useState<Boot>(() => (loadKey() ? { state: 'checking' } : { state: 'ready' }));
  const [signedOutMessage, setSignedOutMessage] = useState('');
  /** What the sign-in screen says after a sign-out that went as meant (an account just deleted), not as an error. */
  const [signedOutNotice, setSignedOutNotice] = useState('');
  const [attempt, setAttempt] = useState(0);

  /** `deleteQueue`: the volunteer confirmed that the scans still queued on this phone may go. */
  const signOut = useCallback((message = '', deleteQueue = false, notice = '') => {
    clearKey();
    forgetSavedCopy();
    // The roster names everyone: it does not stay on a device nobody is signed in to. Queued scans (people
    // already fed or let in) stay unless the volunteer said otherwise: after a key expires or is revoked, the
    // next volunteer or admin key uploads them.
    void import('./offline/scanner').then(({ wipeScanner }) => wipeScanner(deleteQueue)).catch(() => undefined);
    configureApi(null, null);
    setKey(null);
    setMe(null);
    setSignedOutMessage(message);
    setSignedOutNotice(notice);
    setBoot({ state: 'ready' });
  }, []);

  // A stored key (or one from a sign-in link): check it with GET /me before showing anything.
  useEffect(() => {
    if (!key || me) return;
    let cancelled = false;
    setBoot({ state: 'checking' });
    (takeEarlyMe(key) ?? get<Me>('/me', { key }))
      .then((answer) => {
        if (cancelled) return;
        // Before any screen renders and fetches with it.
        configureApi(key, () => signOut(SIGNED_OUT_401));
        preloadScanner(answer);
        setMe(answer);
        setBoot({ state: 'ready' });
      })
      .catch((failure: unknown) => {
        if (cancelled) return;
        const saved = savedMe(key);
        if (failure instanceof ApiError && failure.code === 'authentication_required') signOut(REJECTED);
        // No answer: show the last copy (badge, balance) until the network returns.
        else if (saved) {
          configureApi(key, () => signOut(SIGNED_OUT_401));
          setMe(saved);
          setBoot({ state: 'ready' });
        } else setBoot({ state: 'offline', message: errorText(failure) });
      });
    return () => {
      cancelled = true;
    };
  }, [key, me, signOut, attempt]);

  const signedIn = key !== null && me !== null;
  useEffect(() => {
    if (signedIn) configureApi(key, () => signOut(SIGNED_OUT_401));
  }, [signedIn, key, signOut]);

  const banner = <OfflineBanner role={me?.key.role ?? null} />;
  if (!key || (boot.state === 'ready' && !me)) {
    return (
      <>
        {banner}
        <LoadErrorBoundary>
          <Suspense fallback={null}>
            <KeptScansNotice />
          </Suspense>
        </LoadErrorBoundary>
        <SignInScreen
          message={signedOutMessage}
          notice={signedOutNotice}
          onSignedIn={(newKey, answer) => {
            saveKey(newKey);
            configureApi(newKey, () => signOut(SIGNED_OUT_401));
            preloadScanner(answer);
            setSignedOutMessage('');
            setSignedOutNotice('');
            setMe(answer);
            setKey(newKey);
            setBoot({ state: 'ready' });
          }}
        />
      </>
    );
  }
  if (boot.state === 'offline') {
    return (
      <>
        {banner}
        <main id="main" className="signin">
          <section className="screen narrow">
            <h1>Tapioca</h1>
            <p role="alert" className="message message-error">
              {boot.message}
            </p>
            <div className="actions">
              <button type="button" className="button primary big" onClick={() => setAttempt((n) => n + 1)}>
                Try again
              </button>
              <button type="button" className="button secondary" onClick={() => signOut()}>
                Sign out
              </button>
            </div>
          </section>
        </main>
      </>
    );
  }
  if (!me) {
    return (
      <>
        {banner}
        <main id="main" className="signin" aria-busy="true">
          <p className="muted">{openedFromLink ? 'Signing you in…' : 'Loading…'}</p>
        </main>
      </>
    );
  }
  return (
    <>
      {banner}
      <SignedIn
        key={key}
        apiKey={key}
        me={me}
        setMe={setMe}
        signOut={(deleteQueue, notice) => signOut('', deleteQueue, notice)}
        onUnauthorized={() => signOut(SIGNED_OUT_401)}
      />
    </>
  );
}

interface SignedInProps {
  apiKey: string;
  me: Me;
  setMe: (update: (current: Me | null) => Me | null) => void;
  signOut: (deleteQueue: boolean, notice?: string) => void;
  onUnauthorized: () => void;
}

const LIVE_TEXT: Record<LiveState, string> = {
  live: 'Live updates on',
  connecting: 'Live updates reconnecting',
  offline: 'Offline: no live updates',
};

function SignedIn({ apiKey, me, setMe, signOut, onUnauthorized }: SignedInProps) {
  const [live] = useState(() => new LiveEvents(apiKey, onUnauthorized));
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const offline = useSyncExternalStore(subscribeNetwork, isOffline);
  const [{ queued, loaded }, setQueueStatus] = useState<QueueStatus>({ queued: 0, loaded: false });
  const [confirmingSignOut, setConfirmingSignOut] = useState(false);
  const route = useRoute();
  const role = me.key.role;
  const participantId = me.participant?.id;

  useEffect(() => {
    const off = live.onState(setLiveState);
    live.start();
    return () => {
      off();
      live.stop();
    };
  }, [live]);

  const setBalance = useCallback(
    (tokens: number) =>
      setMe((current) =>
        current?.participant ? { ...current, participant: { ...current.participant, bbt_tokens: tokens } } : current,
      ),
    [setMe],
  );

  // A balance from a live event that arrives while /me is being re-read wins over the read.
  const liveBalance = useRef<number | null>(null);
  const refreshMe = useCallback(async () => {
    try {
      liveBalance.current = null;
      const answer = await get<Me>('/me');
      const balance = liveBalance.current;
      setMe(() =>
        balance !== null && answer.participant
          ? { ...answer, participant: { ...answer.participant, bbt_tokens: balance } }
          : answer,
      );
    } catch {
      // A 401 signs out (api.ts); anything else keeps what is shown.
    }
  }, [setMe]);

  // The last /me stays in this browser for offline use; it is read again when the network returns.
  useEffect(() => saveMe(apiKey, me), [apiKey, me]);
  useEffect(() => whenBackOnline(() => void refreshMe()), [refreshMe]);

  // The balance stays live on every screen.
  useEffect(() => {
    if (participantId === undefined) return;
    return live.on('tokens', (data) => {
      const event = data as TokensEvent;
      if (event.participant_id !== participantId) return;
      liveBalance.current = event.bbt_tokens;
      setBalance(event.bbt_tokens);
    });
  }, [live, participantId, setBalance]);

  // Re-read /me when the app comes back to the foreground (the balance may have changed meanwhile).
  useEffect(() => {
    if (participantId === undefined) return;
    const onFocus = () => void refreshMe();
    window.addEventListener('focus', onFocus);
    const off = live.on('resync', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      off();
    };
  }, [live, participantId, refreshMe]);

  const session = useMemo<Session>(
    () => ({ me, live, refreshMe, setBalance, signOut: (notice?: string) => signOut(false, notice) }),
    [me, live, refreshMe, setBalance, signOut],
  );

  const allowed = NAV[role].map(([path]) => path);
  const [section, ...rest] = route;
  const isBadgeLink = section === 'b' && rest.length > 0;
  const current = section !== undefined && (allowed.includes(section) || isBadgeLink) ? section : null;

  useEffect(() => {
    if (current === null) navigate(`#/${homeRoute(role)}`, { replace: true });
  }, [current, role]);

  let screen: ReactElement | null = null;
  const code = isBadgeLink ? rest.join('/') : undefined;
  switch (current) {
    case 'b':
      screen =
        role === 'participant' ? (
          <ScanScreen key="scan" initialCode={code} />
        ) : (
          <CheckInScreen key="checkin" initialCode={code} />
        );
      break;
    case 'badge':
      screen = <BadgeScreen key="badge" />;
      break;
    case 'tokens':
      screen = <TokensScreen key="tokens" />;
      break;
    case 'scan':
      screen = <ScanScreen key="scan" />;
      break;
    case 'order':
      screen = <OrderScreen key="order" />;
      break;
    case 'profile':
      screen = <ProfileScreen key="profile" />;
      break;
    case 'checkin':
      screen = <CheckInScreen key="checkin" />;
      break;
    case 'station':
      screen = <StationScreen key="station" />;
      break;
    case 'checkpoints':
      screen = <CheckpointsScreen key="checkpoints" checkpointId={rest[0]} />;
      break;
    case 'search':
      screen = <SearchScreen key="search" personId={rest[0]} />;
      break;
    case 'kitchen':
      screen = <KitchenScreen key="kitchen" />;
      break;
    case 'hardware':
      screen = role === 'participant' ? <HardwareScreen key="hardware" /> : <HardwareAdminScreen key="hardware-admin" />;
      break;
    case 'desk':
      screen = <HardwareDeskScreen key="desk" />;
      break;
    case 'dashboard':
      screen = <DashboardScreen key="dashboard" />;
      break;
    case 'keys':
      screen = <KeysScreen key="keys" />;
      break;
    case 'data':
      screen = <DataScreen key="data" path={rest} />;
      break;
    default:
      screen = null;
  }
  const navSection = current === 'b' ? (role === 'participant' ? 'scan' : 'checkin') : current;

  // The stream may not have noticed yet that the network is gone: the dot never stays green while offline.
  const dot: LiveState = offline ? 'offline' : liveState;

  return (
    <SessionContext.Provider value={session}>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="app-header">
        <div className="who">
          <span className="brand" aria-hidden="true">
            T
          </span>
          <span className="who-text">
            <strong className="who-name">{me.participant?.name ?? me.key.name}</strong> <span className="who-role">{role}</span>
          </span>
          <span className={`live live-${dot}`} title={LIVE_TEXT[dot]}>
            <span className="visually-hidden">{LIVE_TEXT[dot]}</span>
          </span>
        </div>
        <button
          type="button"
          className="button small-button"
          // With nothing queued, the scanner's copy goes too, once it has been read: until then (and on a
          // participant's phone, which never reads it) scans another key left behind stay for the next staff key.
          onClick={() => (queued > 0 ? setConfirmingSignOut(true) : signOut(loaded))}
        >
          Sign out
        </button>
      </header>
      {confirmingSignOut && (
        <ConfirmDialog
          title="Sign out with scans not uploaded?"
          confirmLabel="Sign out and lose them"
          cancelLabel="Stay signed in"
          onConfirm={() => signOut(true)}
          onClose={() => setConfirmingSignOut(false)}
        >
          <p>
            {plural(queued, 'scan')} made offline {queued === 1 ? 'is' : 'are'} still on this phone, waiting for the connection.
            Signing out deletes {queued === 1 ? 'it' : 'them'}: they will not count.
          </p>
        </ConfirmDialog>
      )}
      <AppNav entries={NAV[role]} current={navSection} />
      <main id="main" tabIndex={-1}>
        {role !== 'participant' && (
          <LoadErrorBoundary>
            <Suspense fallback={null}>
              <StaffScanner apiKey={apiKey} onStatus={setQueueStatus} />
            </Suspense>
          </LoadErrorBoundary>
        )}
        {/* Keyed as the screen is (a badge link and its screen share one), so one that could not load does not
            stop the others, and a screen that goes on under another route is not opened afresh. */}
        <LoadErrorBoundary key={screen?.key ?? ''}>
          <Suspense fallback={<p className="muted">Loading…</p>}>{screen}</Suspense>
        </LoadErrorBoundary>
      </main>
    </SessionContext.Provider>
  );
}

/** The menu: the main screens in a row, the rest behind "More" (underlined when one of them is open). */
function AppNav({ entries, current }: { entries: NavEntry[]; current: string | null }) {
  const [open, setOpen] = useState(false);
  const main = entries.filter(([, , more]) => !more);
  const more = entries.filter(([, , more]) => more);
  const openMore = more.find(([path]) => path === current);
  // Choosing a screen closes the list.
  useEffect(() => setOpen(false), [current]);
  const link = ([path, label]: NavEntry) => (
    <li key={path}>
      <a href={`#/${path}`} aria-current={current === path ? 'page' : undefined} onClick={() => setOpen(false)}>
        {label}
      </a>
    </li>
  );
  return (
    <nav className="app-nav" aria-label="Screens">
      <ul>
        {main.map(link)}
        {more.length > 0 && (
          <li className="nav-more">
            <button
              type="button"
              aria-expanded={open}
              aria-controls="nav-more-list"
              className={openMore ? 'nav-more-current' : undefined}
              onClick={() => setOpen((value) => !value)}
            >
              More
              {openMore && <span className="visually-hidden">: {openMore[1]} open</span>}{' '}
              <span aria-hidden="true">{open ? '▴' : '▾'}</span>
            </button>
          </li>
        )}
      </ul>
      {more.length > 0 && (
        <ul id="nav-more-list" className="nav-more-list" hidden={!open}>
          {more.map(link)}
        </ul>
      )}
    </nav>
  );
}
