import { useState } from 'react';
import { Alert } from '../components/Messages';
import { availabilityText, deskRefusalText, movedAsWanted, queueText, withRequest } from '../hardware';
import { useIntent, useSlow, type Resource } from '../hooks';
import type { HardwareItemsById, HardwareRequest, HardwareRequestsById } from '../api-types';

interface WaitingListProps {
  items: HardwareItemsById | undefined;
  /** Every open request. */
  queue: Resource<HardwareRequestsById>;
  /** The same, in the order the desk serves them. */
  waiting: [string, HardwareRequest][];
  /** Opens a person at the desk. */
  onOpen: (participantId: number, name: string) => void;
  /** A request was marked ready, or refused: the lists are to be read again. */
  onChanged: () => void;
}

/** The desk's waiting list: every open request, by item; a tap opens the person, Ready puts one aside for them. */
export function WaitingList({ items, queue, waiting, onOpen, onChanged }: WaitingListProps) {
  const marking = useIntent();
  const slow = useSlow(marking.pending);
  const [markingId, setMarkingId] = useState('');
  const [error, setError] = useState('');

  async function markReady(id: string, request: HardwareRequest) {
    setError('');
    setMarkingId(id);
    const ready = (changed: HardwareRequest) => queue.setData((current) => withRequest(current, Number(id), changed));
    try {
      const answer = await marking.send<HardwareRequestsById>('PUT', `/hardware/requests/${id}`, {
        status: 'ready',
        from: 'requested',
      });
      for (const changed of Object.values(answer)) ready(changed);
    } catch (failure) {
      // Another volunteer marked it ready first: what was wanted.
      const already = await movedAsWanted(failure, id, request.participant_id, 'ready');
      if (already) ready(already);
      else setError(`${request.participant_name}: ${deskRefusalText(failure, request.participant_name)}`);
    } finally {
      setMarkingId('');
    }
    onChanged();
  }

  const byItem = new Map<number, [string, HardwareRequest][]>();
  for (const entry of waiting) byItem.set(entry[1].item_id, [...(byItem.get(entry[1].item_id) ?? []), entry]);

  return (
    <>
      <h2>Waiting list</h2>
      <Alert>{error || (queue.error && !queue.data ? `Could not load the waiting list: ${queue.error}` : '')}</Alert>
      {queue.data && waiting.length === 0 && <p className="muted">Nobody is waiting.</p>}
      {[...byItem].map(([itemId, requests]) => {
        const item = items?.[itemId];
        return (
          <section key={itemId} className="card waiting-item" aria-labelledby={`waiting-${itemId}`}>
            <h3 id={`waiting-${itemId}`}>{requests[0]![1].item_name}</h3>
            {item && <p className="muted small">{availabilityText(item)}</p>}
            <ol className="waiting-list">
              {requests.map(([id, request]) => (
                <li key={id} className="waiting-row" data-testid={`waiting-${id}`}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onOpen(request.participant_id, request.participant_name)}
                  >
                    {request.participant_name}
                  </button>
                  <span className="muted small">
                    {request.quantity > 1 ? `${request.quantity} wanted · ` : ''}
                    {queueText(request)}
                  </span>
                  {request.status === 'requested' && (
                    <button
                      type="button"
                      className="button secondary"
                      disabled={marking.pending}
                      onClick={() => void markReady(id, request)}
                    >
                      {slow && markingId === id ? 'Sending…' : 'Ready'}
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </section>
        );
      })}
    </>
  );
}
