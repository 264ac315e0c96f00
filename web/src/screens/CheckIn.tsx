import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorText, get } from '../api';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { Scanner } from '../components/Scanner';
import { clockTime, extractBadgeCode } from '../format';
import { useIntent, useLatest, useLiveEvent } from '../hooks';
import { navigate } from '../router';
import type { BadgeHolder, CheckInEvent, CheckInStatus } from '../api-types';

/**
 * A badge the camera has not seen for this long counts as shown again: after a check-in it is looked up again
 * (and shows "already checked in"), while the same badge still in view is left alone. A failed look-up is
 * retried this long after it failed.
 */
const RESCAN_AFTER_MS = 3000;

type CardState = 'loading' | 'ready' | 'busy' | 'done' | 'already' | 'error';
interface Card {
  code: string;
  state: CardState;
  holder?: BadgeHolder;
  /** When the card last settled (a failed look-up is retried RESCAN_AFTER_MS after it). */
  at: number;
}

function alreadyText(status: CheckInStatus): string {
  const when = status.check_in_time ? ` at ${clockTime(status.check_in_time)}` : '';
  const who = status.volunteer_name ? ` by ${status.volunteer_name}` : '';
  return `Already checked in${when}${who}`;
}

/** #/checkin and, for staff, #/b/<code>: scan a badge, see who it is, check them in with one tap. */
export function CheckInScreen({ initialCode }: { initialCode?: string }) {
  const [card, setCard] = useState<Card | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [typed, setTyped] = useState('');
  const cardRef = useRef<Card | null>(null);
  /** When the camera last saw the card's badge. */
  const cardSeenAt = useRef(0);
  const startedWith = useRef<string | null>(null);
  const checkInButton = useRef<HTMLButtonElement>(null);
  const checkingIn = useIntent();
  const typedCode = useLatest(extractBadgeCode(typed));

  function show(next: Card | null) {
    cardRef.current = next;
    setCard(next);
    // Done with a typed code: the camera takes over again.
    if ((next?.state === 'done' || next?.state === 'already') && next.code === typedCode.current) setTyped('');
  }

  async function showAlready(code: string, holder: BadgeHolder, known?: CheckInStatus) {
    let details = known;
    if (!details) {
      try {
        details = await get<CheckInStatus>(`/checkin?participant_id=${holder.participant_id}`);
      } catch {
        details = { participant_id: holder.participant_id, checked_in: true };
      }
    }
    if (cardRef.current?.code !== code) return;
    show({ code, holder: { ...holder, checked_in: true }, state: 'already', at: Date.now() });
    setError('');
    setStatus(alreadyText(details));
  }

  async function lookUp(code: string) {
    const sameCode = cardRef.current?.code === code;
    show({ code, state: 'loading', holder: sameCode ? cardRef.current?.holder : undefined, at: Date.now() });
    if (!sameCode) {
      setStatus('');
      setError('');
    }
    try {
      const holder = await get<BadgeHolder>(`/badges/${encodeURIComponent(code)}`);
      if (cardRef.current?.code !== code) return;
      if (holder.checked_in) {
        await showAlready(code, holder);
      } else {
        show({ code, holder, state: 'ready', at: Date.now() });
        setStatus('');
        setError('');
      }
    } catch (failure) {
      if (cardRef.current?.code !== code) return;
      show({ code, state: 'error', at: Date.now() });
      setStatus('');
      setError(
        failure instanceof ApiError && failure.code === 'badge_not_found' ? 'That badge is not valid.' : errorText(failure),
      );
    }
  }

  async function checkIn() {
    const current = cardRef.current;
    if (!current?.holder || current.state !== 'ready') return;
    const { code, holder } = current;
    show({ ...current, state: 'busy' });
    setError('');
    try {
      await checkingIn.send<CheckInStatus>('POST', '/checkin', { badge: code });
      if (cardRef.current?.code !== code) return;
      // Typed or filmed, the badge counts as in view now: the camera must not look it up again at once.
      cardSeenAt.current = Date.now();
      show({ code, holder: { ...holder, checked_in: true }, state: 'done', at: Date.now() });
      setStatus(`Checked in ${holder.name}`);
    } catch (failure) {
      if (cardRef.current?.code !== code) return;
      if (failure instanceof ApiError && failure.code === 'already_checked_in') {
        await showAlready(code, holder);
        return;
      }
      show({ ...current, state: 'ready' });
      setError(errorText(failure));
    }
  }

  function onDecoded(text: string) {
    const code = extractBadgeCode(text);
    // A code being typed wins over whatever the camera sees.
    if (!code || typed.trim() !== '') return;
    const now = Date.now();
    const current = cardRef.current;
    if (current?.code === code) {
      const unseenFor = now - cardSeenAt.current;
      cardSeenAt.current = now;
      if (current.state === 'done') {
        // The badge just checked in, still in view: a check-in stays a check-in (no amber "already checked in").
        if (unseenFor < RESCAN_AFTER_MS) return;
      } else if (current.state === 'error') {
        if (now - current.at < RESCAN_AFTER_MS) return;
      } else {
        return;
      }
    } else if (current?.state === 'busy') {
      return;
    }
    cardSeenAt.current = now;
    void lookUp(code);
  }

  useEffect(() => {
    if (!initialCode || startedWith.current !== null) return;
    const code = extractBadgeCode(initialCode);
    startedWith.current = code;
    navigate('#/checkin', { replace: true });
    if (code) void lookUp(code);
    // lookUp only reads refs and setters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialCode]);

  // Someone else checked this person in (another desk): update the card.
  useLiveEvent<CheckInEvent>('checkin', (event) => {
    const current = cardRef.current;
    if (!current?.holder || current.holder.participant_id !== event.participant_id) return;
    if (current.state === 'ready' && event.check_in.checked_in) void showAlready(current.code, current.holder, event.check_in);
  });

  // Focus the big button when a card is ready, so a desk can check people in from the keyboard.
  useEffect(() => {
    if (card?.state === 'ready') checkInButton.current?.focus({ preventScroll: true });
  }, [card?.state, card?.code]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const code = extractBadgeCode(typed);
    if (!code) {
      setStatus('');
      setError('Type the code printed under the QR badge.');
      return;
    }
    cardRef.current = null;
    void lookUp(code);
  }

  const holder = card?.holder;
  return (
    <section className="screen">
      <ScreenHeading>Check-in</ScreenHeading>
      <Scanner onCode={onDecoded} paused={typed.trim() !== ''} />
      {card && (card.state !== 'error' || holder) && (
        <article className={`card person state-${card.state}`} aria-busy={card.state === 'loading' || card.state === 'busy'}>
          {holder ? (
            <>
              <h2 className="person-name">{holder.name}</h2>
              <p className="muted">Participant #{holder.participant_id}</p>
              {(card.state === 'ready' || card.state === 'busy') && (
                <button
                  ref={checkInButton}
                  type="button"
                  className="button primary huge"
                  disabled={card.state === 'busy'}
                  onClick={() => void checkIn()}
                >
                  Check in {holder.name}
                </button>
              )}
            </>
          ) : (
            <p className="muted">Looking up the badge…</p>
          )}
        </article>
      )}
      <Status tone={card?.state === 'already' ? 'warn' : 'ok'}>{status}</Status>
      <Alert>{error}</Alert>
      <form className="card form inline-form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="checkin-code">Badge code</label>
          <input
            id="checkin-code"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button secondary">
          Look up
        </button>
      </form>
    </section>
  );
}
