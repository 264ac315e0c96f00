import { useEffect, useState } from 'react';
import { errorText, request } from '../api';
import { Alert } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { useParticipant, useSession } from '../context';
import { clockTime } from '../format';
import { useLiveEvent } from '../hooks';
import type { CheckInEvent } from '../api-types';
import { takeEarlyBadge } from '../offline/early-requests';
import { saveBadgeImage, savedBadgeImage } from '../offline/saved-copy';

/** #/badge: the hacker's QR badge, full width, for others to scan, and their live balance. */
export function BadgeScreen() {
  const participant = useParticipant();
  const { me, refreshMe } = useSession();
  const badgeCode = me.badge?.badge;
  // The last copy shows at once (and with no network) while the current image loads.
  const [image, setImage] = useState<string | null>(() => savedBadgeImage(participant.id, badgeCode));
  const [error, setError] = useState('');

  useEffect(() => {
    // The image needs the Authorization header, so it is fetched and shown through an object URL.
    const controller = new AbortController();
    let url: string | null = null;
    (
      takeEarlyBadge(participant.id) ??
      request('GET', `/users/${participant.id}/badge.svg`, undefined, {
        signal: controller.signal,
        accept: 'image/svg+xml',
      }).then((response) => response.text())
    )
      .then((svg) => {
        if (controller.signal.aborted) return;
        if (badgeCode) saveBadgeImage(participant.id, badgeCode, svg);
        url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
        setImage(url);
        setError('');
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted && !savedBadgeImage(participant.id, badgeCode)) setError(errorText(failure));
      });
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [participant.id, badgeCode]);

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
      <Alert>{error}</Alert>
      <figure className="badge">
        {image ? (
          <img src={image} alt="My QR badge" className="badge-image" />
        ) : (
          <div className="badge-image badge-placeholder" aria-hidden="true">
            {error ? '' : 'Loading badge…'}
          </div>
        )}
        <figcaption>
          <span className="badge-name">{participant.name}</span>
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
