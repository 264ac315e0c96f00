import { checkedInCount, type QueuedScan, type Roster, servedCount } from '../offline/roster';
import type { Station } from '../station';
import type { CheckInCounts, Checkpoint } from '../api-types';

interface Counter {
  value: number | undefined;
  of: number | undefined;
  label: string;
}

/**
 * What a station counts: check-ins at the door, people served at a checkpoint (of its places, or of everyone
 * checked in). Offline, the roster on the phone and its queue count instead of the server.
 */
export function counterOf(
  station: Station,
  online: { checkpoint: Checkpoint | undefined; counts: CheckInCounts | undefined } | null,
  offline: { roster: Roster; queue: readonly QueuedScan[] } | null,
): Counter {
  const checkedIn = offline ? checkedInCount(offline.roster, offline.queue) : online?.counts?.checked_in;
  if (station.type === 'door') {
    const everyone = offline ? offline.roster.participants.size : online?.counts?.participants;
    return { value: checkedIn, of: everyone, label: 'checked in, of all participants' };
  }
  const checkpoint = offline ? offline.roster.checkpoints[station.id] : online?.checkpoint;
  const served = offline ? servedCount(offline.roster, offline.queue, station.id) : checkpoint?.counts.participants;
  if (checkpoint?.capacity != null) return { value: served, of: checkpoint.capacity, label: 'served, of the places here' };
  return { value: served, of: checkedIn, label: 'served, of everyone checked in' };
}

export function StationCounter({ counter }: { counter: Counter }) {
  return (
    <p className="counter" data-testid="station-counter">
      <span className="counter-value">
        <strong>{counter.value ?? '…'}</strong> of {counter.of ?? '…'}
      </span>
      <span className="counter-label">{counter.label}</span>
    </p>
  );
}
