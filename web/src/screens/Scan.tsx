import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorText } from '../api';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { Scanner } from '../components/Scanner';
import { useSession } from '../context';
import { extractBadgeCode, plural } from '../format';
import { useIntent } from '../hooks';
import { navigate } from '../router';
import type { ErrorCode, ExchangeResult } from '../api-types';
import { liveCodeIn } from '../live-code';

/** The same code seen again within this long (since it was last seen) is not exchanged again. */
const REPEAT_WINDOW_MS = 3000;

/** Plain words for the refusals a participant meets while scanning; anything else gets the general words. */
const EXCHANGE_REFUSALS: Partial<Record<ErrorCode, string>> = {
  badge_not_found: 'That badge is not valid.',
  cooldown: 'Too soon: wait a few seconds between exchanges.',
  pair_limit: 'You have already met this person.',
  self_exchange: 'That is your own badge.',
  stale_code: 'No live code, or an old one — ask them to show the live code on their phone.',
};

export function exchangeErrorText(error: unknown): string {
  const refusal = error instanceof ApiError && error.code !== undefined ? EXCHANGE_REFUSALS[error.code] : undefined;
  return refusal ?? errorText(error);
}

/** Whom you met (when the answer names them) and the new balance. */
export function exchangeSuccessText(answer: ExchangeResult): string {
  const met = answer.participant_2_name ? `You met ${answer.participant_2_name}. ` : '';
  return `${met}You both got a token! You now have ${plural(answer.new_tokens_1, 'token')}.`;
}

type Result = { ok: true; text: string } | { ok: false; text: string };

/** A scanned or typed badge: its code, and the live code when it came from the other hacker's phone. */
interface Scanned {
  badge: string;
  liveCode?: string;
}

function readScanned(text: string): Scanned {
  return { badge: extractBadgeCode(text), liveCode: liveCodeIn(text) };
}

/** What the repeat window compares: the same badge with a fresh live code is a new try. */
const seenAs = ({ badge, liveCode }: Scanned) => (liveCode ? `${badge}?c=${liveCode}` : badge);

/**
 * #/scan and, for a participant, #/b/<code>: scan someone's badge and both get a token. The QR on their phone
 * carries their live code (`?c=`), which goes with the exchange; typed, it goes in its own field.
 */
export function ScanScreen({ initialCode }: { initialCode?: string }) {
  const { setBalance } = useSession();
  const [result, setResult] = useState<Result | null>(null);
  const exchanging = useIntent();
  const [typed, setTyped] = useState('');
  const [typedLiveCode, setTypedLiveCode] = useState('');
  const busyRef = useRef(false);
  const lastSeen = useRef(new Map<string, number>());
  const startedWith = useRef<string | null>(null);

  /** Resolves true when the exchange happened. */
  async function exchange({ badge, liveCode }: Scanned): Promise<boolean> {
    if (busyRef.current) return false;
    busyRef.current = true;
    setResult(null);
    try {
      const answer = await exchanging.send<ExchangeResult>('PUT', '/bbt_token_exchange', {
        participant_2_badge: badge,
        ...(liveCode === undefined ? {} : { participant_2_code: liveCode }),
      });
      setBalance(answer.new_tokens_1);
      setResult({ ok: true, text: exchangeSuccessText(answer) });
      return true;
    } catch (error) {
      setResult({ ok: false, text: exchangeErrorText(error) });
      return false;
    } finally {
      busyRef.current = false;
    }
  }

  function onDecoded(text: string) {
    const scanned = readScanned(text);
    // A code being typed wins over whatever the camera sees.
    if (!scanned.badge || typed.trim() !== '') return;
    const seen = seenAs(scanned);
    const now = Date.now();
    const previous = lastSeen.current.get(seen);
    lastSeen.current.set(seen, now);
    if (previous !== undefined && now - previous < REPEAT_WINDOW_MS) return;
    if (busyRef.current) {
      // Busy with another code: let this one be picked up on a later frame.
      lastSeen.current.delete(seen);
      return;
    }
    void exchange(scanned);
  }

  // Opened from a scanned link (#/b/<code>): exchange once, then show the plain scan screen.
  useEffect(() => {
    if (!initialCode || startedWith.current !== null) return;
    const scanned = readScanned(initialCode);
    startedWith.current = scanned.badge;
    lastSeen.current.set(seenAs(scanned), Date.now());
    navigate('#/scan', { replace: true });
    if (scanned.badge) void exchange(scanned);
    // exchange is stable enough: it only reads refs and setters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialCode]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const scanned = readScanned(typed);
    if (!scanned.badge) {
      setResult({ ok: false, text: 'Type the code printed under the QR badge.' });
      return;
    }
    // A pasted badge link may carry the live code; else the one typed from their phone, if any.
    const liveCode = scanned.liveCode ?? (typedLiveCode.trim() || undefined);
    lastSeen.current.set(seenAs(scanned), Date.now());
    // Done with the typed code: the camera takes over again.
    void exchange({ badge: scanned.badge, liveCode }).then((done) => {
      if (done) {
        setTyped('');
        setTypedLiveCode('');
      }
    });
  }

  return (
    <section className="screen">
      <ScreenHeading>Scan someone</ScreenHeading>
      <p className="lead">Scan another hacker&rsquo;s badge: you both get a token.</p>
      <Status>{result?.ok ? result.text : exchanging.pending ? 'Exchanging…' : ''}</Status>
      <Alert>{result && !result.ok ? result.text : ''}</Alert>
      <Scanner onCode={onDecoded} paused={typed.trim() !== ''} />
      <form className="card form" onSubmit={onSubmit}>
        <label htmlFor="exchange-code">Badge code</label>
        <input
          id="exchange-code"
          name="badge"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
        />
        <label htmlFor="exchange-live-code">Live code on their phone</label>
        <input
          id="exchange-live-code"
          name="live_code"
          value={typedLiveCode}
          onChange={(event) => setTypedLiveCode(event.target.value)}
          inputMode="numeric"
          pattern="[0-9]{6}"
          maxLength={6}
          autoComplete="off"
        />
        <button type="submit" className="button primary" disabled={exchanging.pending}>
          Exchange
        </button>
      </form>
    </section>
  );
}
