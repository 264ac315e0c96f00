import { useState } from 'react';
import { ApiError, errorText } from '../api';
import { clockTime } from '../format';
import { useIntent } from '../hooks';
import { Status } from './Messages';

export interface UndoTarget {
  scanId: number;
  name: string;
  /** When it was accepted (ms). */
  at: number;
}

interface Outcome {
  state: 'ready' | 'busy' | 'done';
  message: string;
  tone: 'info' | 'warn';
}

/**
 * "Undo last accepted" for the last scan the server accepted at a checkpoint. Give it `key={target.scanId}`:
 * each accepted scan starts afresh. `guard` keeps it disabled just after an answer left the screen.
 */
export function UndoLast({ target, guard, onUndone }: { target: UndoTarget; guard: boolean; onUndone: () => void }) {
  const undoing = useIntent();
  const [outcome, setOutcome] = useState<Outcome>({ state: 'ready', message: '', tone: 'info' });

  async function undo() {
    if (outcome.state !== 'ready') return;
    setOutcome({ ...outcome, state: 'busy', message: '' });
    try {
      await undoing.send('POST', `/scans/${target.scanId}/undo`);
      setOutcome({ state: 'done', tone: 'info', message: `Undone: ${target.name}’s scan no longer counts.` });
      onUndone();
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : undefined;
      if (code === 'already_annulled') {
        setOutcome({ state: 'done', tone: 'warn', message: `${target.name}’s scan was already undone.` });
      } else if (code === 'forbidden') {
        setOutcome({ state: 'done', tone: 'warn', message: 'Too late to undo from this phone: ask an organizer.' });
      } else {
        setOutcome({ state: 'ready', tone: 'warn', message: `Not undone: ${errorText(failure)}` });
      }
    }
  }

  return (
    <div className="undo-row">
      {outcome.state !== 'done' && (
        <button type="button" className="button danger" disabled={outcome.state === 'busy' || guard} onClick={() => void undo()}>
          Undo last accepted: {target.name} ({clockTime(target.at / 1000)})
        </button>
      )}
      <Status tone={outcome.tone}>{outcome.message}</Status>
    </div>
  );
}
