// The words and colour of a scan decided on the phone: the same as the server's answers where the rules are the
// same, marked provisional (the server has the last word), plus what only an offline check can say (a forged,
// replaced or unsigned badge).
import type { Checkpoint } from '../api-types';
import { clockTime } from '../format';
import { acceptedView, refusedView, type ResultView } from '../scanning';
import type { OfflineDecision } from './offline-decision';

/** A badge the phone itself cannot let through: certain (a forged signature) or undecidable, so not provisional. */
const view = (tone: ResultView['tone'], title: string, name: string | null, detail: string): ResultView => ({
  tone,
  title,
  name,
  dietary: '',
  detail,
});

/**
 * `checkpoint` is where the phone stands (undefined at the door); `myKeyName` names this phone, for an
 * "already" that this phone's own queued scan caused.
 */
export function offlineDecisionView(
  decision: OfflineDecision,
  checkpoint: Checkpoint | undefined,
  myKeyName: string,
): ResultView {
  switch (decision.kind) {
    case 'accepted': {
      const { participant, count, remaining } = decision;
      if (count === undefined) return { ...view('ok', 'Checked in', participant.name, ''), provisional: true };
      return { ...acceptedView({ count, remaining: remaining ?? null, participant }), provisional: true };
    }
    case 'refused': {
      const { reason, participant, last } = decision;
      if (reason === 'already_checked_in') {
        const when = last ? `Checked in at ${clockTime(Date.parse(last.scannedAt) / 1000)} by this phone.` : '';
        return { ...view('warn', 'Already checked in', participant.name, when), ownTime: when !== '', provisional: true };
      }
      const accepted = last ? { accepted: { at: last.scannedAt, by: myKeyName }, myKeyName } : undefined;
      return { ...refusedView(reason, participant, checkpoint, accepted), provisional: true };
    }
    case 'forged':
      return view(
        'bad',
        'Forged badge',
        null,
        'This badge was not made by the event. Do not let them through; call an organizer.',
      );
    case 'replaced':
      return view(
        'bad',
        'Old badge (replaced)',
        decision.participant?.name ?? null,
        'A newer badge replaced this one. Ask for the new badge, or find them by name.',
      );
    case 'legacy':
      return {
        ...view('unsure', "Can't check this badge offline", null, 'Find the person by name.'),
        hint: 'Tap, then find them by name below',
      };
    case 'unknown_badge':
      return view('bad', 'Unknown badge', null, 'Not a badge of this event, or not on this phone’s list yet.');
    case 'participant_not_found':
      return view('bad', 'Participant not found', null, 'Not on this phone’s list.');
    case 'checkpoint_unknown':
      return view('bad', 'Not on this phone’s list', null, 'This checkpoint is newer than the list: scan again once online.');
  }
}
