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

/** The same code seen again within this long (since it was last seen) is not exchanged again. */
const REPEAT_WINDOW_MS = 3000;

/** Plain words for the refusals a participant meets while scanning; anything else gets the general words. */
const EXCHANGE_REFUSALS: Partial<Record<ErrorCode, string>> = {
  badge_not_found: 'That badge is not valid.',
  cooldown: 'Too soon: wait a few seconds between exchanges.',
  pair_limit: 'You have already met this person.',
  self_exchange: 'That is your own badge.',
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

/** #/scan and, for a participant, #/b/<code>: scan someone's badge and both get a token. */
export function ScanScreen({ initialCode }: { initialCode?: string }) {
  const { setBalance } = useSession();
  const [result, setResult] = useState<Result | null>(null);
  const exchanging = useIntent();
  const [typed, setTyped] = useState('');
  const busyRef = useRef(false);
  const lastSeen = useRef(new Map<string, number>());
  const startedWith = useRef<string | null>(null);

  /** Resolves true when the exchange happened. */
  async function exchange(code: string): Promise<boolean> {
    if (busyRef.current) return false;
    busyRef.current = true;
    setResult(null);
    try {
      const answer = await exchanging.send<ExchangeResult>('PUT', '/bbt_token_exchange', { participant_2_badge: code });
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
    const code = extractBadgeCode(text);
    // A code being typed wins over whatever the camera sees.
    if (!code || typed.trim() !== '') return;
    const now = Date.now();
    const previous = lastSeen.current.get(code);
    lastSeen.current.set(code, now);
    if (previous !== undefined && now - previous < REPEAT_WINDOW_MS) return;
    if (busyRef.current) {
      // Busy with another code: let this one be picked up on a later frame.
      lastSeen.current.delete(code);
      return;
    }
    void exchange(code);
  }

  // Opened from a scanned link (#/b/<code>): exchange once, then show the plain scan screen.
  useEffect(() => {
    if (!initialCode || startedWith.current !== null) return;
    const code = extractBadgeCode(initialCode);
    startedWith.current = code;
    lastSeen.current.set(code, Date.now());
    navigate('#/scan', { replace: true });
    if (code) void exchange(code);
    // exchange is stable enough: it only reads refs and setters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialCode]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const code = extractBadgeCode(typed);
    if (!code) {
      setResult({ ok: false, text: 'Type the code printed under the QR badge.' });
      return;
    }
    lastSeen.current.set(code, Date.now());
    // Done with the typed code: the camera takes over again.
    void exchange(code).then((done) => {
      if (done) setTyped('');
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
        <button type="submit" className="button primary" disabled={exchanging.pending}>
          Exchange
        </button>
      </form>
    </section>
  );
}
