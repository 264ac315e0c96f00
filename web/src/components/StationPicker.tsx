import { rulesText } from '../scanning';
import type { Station } from '../station';
import type { Checkpoint } from '../api-types';

interface StationPickerProps {
  checkpoints: [number, Checkpoint][];
  loading: boolean;
  current: Station | null;
  onPick: (station: Station) => void;
  onCancel?: () => void;
}

/** "Where are you?": the door, or one of the open checkpoints, as big buttons. */
export function StationPicker({ checkpoints, loading, current, onPick, onCancel }: StationPickerProps) {
  const isCurrent = (station: Station) =>
    current?.type === station.type && (station.type === 'door' || (current.type === 'checkpoint' && current.id === station.id));
  return (
    <div className="station-picker">
      <ul className="cards" aria-label="Places to scan at">
        <li>
          <button
            type="button"
            className="button station-choice"
            aria-current={isCurrent({ type: 'door' }) ? 'true' : undefined}
            onClick={() => onPick({ type: 'door' })}
          >
            <span className="station-choice-name">Door check-in</span>
            <span className="station-choice-rules">Quick continuous mode: every badge shown is checked in at once</span>
          </button>
        </li>
        {checkpoints.map(([id, checkpoint]) => (
          <li key={id}>
            <button
              type="button"
              className="button station-choice"
              aria-current={isCurrent({ type: 'checkpoint', id, name: checkpoint.name }) ? 'true' : undefined}
              onClick={() => onPick({ type: 'checkpoint', id, name: checkpoint.name })}
            >
              <span className="station-choice-name">{checkpoint.name}</span>
              <span className="station-choice-rules">{rulesText(checkpoint)}</span>
            </button>
          </li>
        ))}
      </ul>
      {loading && checkpoints.length === 0 && <p className="muted">Loading checkpoints…</p>}
      {onCancel && (
        <button type="button" className="button secondary big" onClick={onCancel}>
          Keep scanning at {current?.type === 'checkpoint' ? current.name : 'the door'}
        </button>
      )}
    </div>
  );
}
