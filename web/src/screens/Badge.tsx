import { useEffect } from 'react';
import { ScreenHeading } from '../components/Heading';
import { useParticipant, useSession } from '../context';
import { clockTime } from '../format';
import { useLiveEvent } from '../hooks';
import type { CheckInEvent } from '../api-types';
import { liveBadgeUrl, useLiveCode } from '../live-code';
import { useQrImage } from '../qr-image';
import '../live-code.css';

/**
 * #/badge: the hacker's QR badge, full width, for others to scan, and their live balance. The QR carries the
 * live code, which changes every 30 s: a screenshot of it soon stops earning tokens. It is drawn here from the
 * /me kept on the phone, so it works with no network.
 */
export function BadgeScreen() {
  const participant = useParticipant();
  const { me, refreshMe } = useSession();
  // A /me saved before live codes existed has no live_code: then the QR is the printed badge's link.
  const live = useLiveCode(me.live_code ?? null);
  const badgeUrl = me.badge?.url ?? null;
  const image = useQrImage(badgeUrl && live ? liveBadgeUrl(badgeUrl, live.code) : badgeUrl);

  // Keep the screen on while the badge is shown, where the browser allows it.
  useEffect(() => {
    let lock: WakeLockSentinel | null = null;
    let released = false;
    navigator.wakeLock
      ?.request('screen')
      .then((sentinel) => {
        if (released) void sentinel.release();
        else lock = sentinel;
      })
      .catch(() => undefined);
    return () => {
      released = true;
      void lock?.release().catch(() => undefined);
    };
  }, []);

  useLiveEvent<CheckInEvent>('checkin', (event) => {
    if (event.participant_id === participant.id) void refreshMe();
  });

  const checkIn = me.check_in;
  return (
    <section className="screen">
      <ScreenHeading>My badge</ScreenHeading>
      <figure className="badge">
        {image ? (
          <img src={image} alt="My QR badge" className="badge-image" />
        ) : (
          <div className="badge-image badge-placeholder" aria-hidden="true">
            Loading badge…
          </div>
        )}
        <figcaption>
          <span className="badge-name">{participant.name}</span>
          {live && me.live_code && (
            <span className="live-code" data-testid="live-code">
              <span>
                Live code <strong className="live-code-digits">{live.code}</strong>
              </span>
              <span className="muted">New code in {live.secondsLeft} s</span>
              <span className="live-code-track" aria-hidden="true">
                <span style={{ width: `${(100 * live.secondsLeft) / me.live_code.period}%` }} />
              </span>
            </span>
          )}
          {me.badge && (
            <span className="badge-code">
              Code: <code>{me.badge.badge}</code>
            </span>
          )}
        </figcaption>
      </figure>
      <p className="balance" data-testid="balance" aria-live="polite">
        Tokens: {participant.bbt_tokens}
      </p>
      <p className="muted">
        {checkIn?.checked_in
          ? `Checked in${checkIn.check_in_time ? ` at ${clockTime(checkIn.check_in_time)}` : ''}.`
          : 'Not checked in yet: show this badge at the check-in desk.'}
      </p>
    </section>
  );
}
