import { useState } from 'react';
import { errorText, get } from '../api';
import { ArchiveActions } from '../components/ArchiveActions';
import { CheckpointForm } from '../components/CheckpointForm';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ScreenHeading } from '../components/Heading';
import { Alert, Status } from '../components/Messages';
import { plural } from '../format';
import { useIntent, useLiveEvent, useRefreshOnFocus, useResource } from '../hooks';
import { rulesText, withCounts } from '../scanning';
import { CheckpointScans } from './CheckpointScans';
import type { Checkpoint, CheckpointEvent, CheckpointsById, ScanEvent } from '../api-types';

/** #/checkpoints (admin): create, edit, archive and restore checkpoints; #/checkpoints/<id>: its scans. */
export function CheckpointsScreen({ checkpointId }: { checkpointId?: string }) {
  const id = Number(checkpointId);
  if (checkpointId !== undefined && Number.isInteger(id) && id > 0) return <CheckpointScans key={id} id={id} />;
  return <CheckpointList />;
}

function CheckpointList() {
  const [showArchived, setShowArchived] = useState(false);
  const checkpoints = useResource(
    (signal) => get<CheckpointsById>(`/checkpoints${showArchived ? '?archived=true' : ''}`, { signal }),
    String(showArchived),
  );
  const [editing, setEditing] = useState<'new' | number | null>(null);
  const [archiving, setArchiving] = useState<[number, Checkpoint] | null>(null);
  const archive = useIntent();
  const restore = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  const put = (id: number, checkpoint: Checkpoint) =>
    checkpoints.setData((current) => {
      const next = { ...current };
      if (checkpoint.archived && !showArchived) delete next[id];
      else next[id] = checkpoint;
      return next;
    });

  useLiveEvent<CheckpointEvent>('checkpoint', (event) => put(event.checkpoint_id, event.checkpoint));
  useLiveEvent<ScanEvent>('scan', (event) => checkpoints.setData((current) => withCounts(current, event)));
  useRefreshOnFocus(checkpoints.reload);

  function saved(answer: CheckpointsById, created: boolean) {
    for (const [id, checkpoint] of Object.entries(answer)) {
      put(Number(id), checkpoint);
      setStatus(created ? `Checkpoint "${checkpoint.name}" created.` : `Checkpoint "${checkpoint.name}" saved.`);
    }
    setError('');
    setEditing(null);
  }

  async function doArchive([id, checkpoint]: [number, Checkpoint]) {
    setArchiving(null);
    setStatus('');
    setError('');
    try {
      const answer = await archive.send<CheckpointsById>('DELETE', `/checkpoints/${id}`);
      for (const [answerId, archived] of Object.entries(answer)) put(Number(answerId), archived);
      setStatus(`Checkpoint "${checkpoint.name}" archived. Its scans are kept; "Show archived" lists it, to restore it.`);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  async function doRestore([id, checkpoint]: [number, Checkpoint]) {
    setStatus('');
    setError('');
    try {
      const answer = await restore.send<CheckpointsById>('PUT', `/checkpoints/${id}`, { archived: false });
      for (const [answerId, restored] of Object.entries(answer)) put(Number(answerId), restored);
      setStatus(`Checkpoint "${checkpoint.name}" restored: volunteers can choose it again, and its earlier scans still count.`);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  const list = Object.entries(checkpoints.data ?? {})
    .map(([id, checkpoint]) => [Number(id), checkpoint] as [number, Checkpoint])
    .sort(([a], [b]) => a - b);

  return (
    <section className="screen">
      <ScreenHeading>Checkpoints</ScreenHeading>
      <p className="lead">Meals, workshops and swag tables where volunteers scan badges.</p>
      <Status>{status}</Status>
      <Alert>{error || checkpoints.error}</Alert>
      {editing === 'new' ? (
        <CheckpointForm onSaved={saved} onCancel={() => setEditing(null)} />
      ) : (
        <button
          type="button"
          className="button primary big"
          onClick={() => {
            setStatus('');
            setEditing('new');
          }}
        >
          New checkpoint
        </button>
      )}
      <label className="check archived-toggle">
        <input type="checkbox" checked={showArchived} onChange={(event) => setShowArchived(event.target.checked)} /> Show archived
      </label>
      {checkpoints.loading && !checkpoints.data && <p className="muted">Loading checkpoints…</p>}
      {checkpoints.data && list.length === 0 && <p className="muted">No checkpoints yet.</p>}
      <ul className="cards">
        {list.map(([id, checkpoint]) =>
          editing === id ? (
            <li key={id}>
              <CheckpointForm editing={[id, checkpoint]} onSaved={saved} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <li key={id} className={`card checkpoint${checkpoint.archived ? ' archived' : ''}`} data-testid={`checkpoint-${id}`}>
              <h2>
                {checkpoint.name} {checkpoint.archived && <span className="tag">Archived</span>}
              </h2>
              <p className="muted small">{rulesText(checkpoint)}</p>
              <p>
                <strong>{plural(checkpoint.counts.participants, 'person', 'people')}</strong> served ·{' '}
                {plural(checkpoint.counts.accepted, 'scan')} accepted · {checkpoint.counts.refused} refused
                {checkpoint.counts.conflicts > 0 && (
                  <> (of which {plural(checkpoint.counts.conflicts, 'offline conflict')}: let through offline, not counted)</>
                )}
              </p>
              <div className="actions">
                <a className="button secondary" href={`#/checkpoints/${id}`}>
                  Scans
                </a>
                <ArchiveActions
                  archived={checkpoint.archived}
                  restoring={restore.pending}
                  onRestore={() => void doRestore([id, checkpoint])}
                  onEdit={() => {
                    setStatus('');
                    setEditing(id);
                  }}
                  onArchive={() => setArchiving([id, checkpoint])}
                />
              </div>
            </li>
          ),
        )}
      </ul>
      {archiving && (
        <ConfirmDialog
          title={`Archive ${archiving[1].name}?`}
          confirmLabel="Yes, archive"
          cancelLabel="Keep it open"
          busy={archive.pending}
          onConfirm={() => void doArchive(archiving)}
          onClose={() => setArchiving(null)}
        >
          <p>
            Volunteers can no longer scan there: phones scanning at it go back to choosing where they are. Its scans are kept and
            still count.
          </p>
          <p>You can restore it later from &ldquo;Show archived&rdquo;.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
