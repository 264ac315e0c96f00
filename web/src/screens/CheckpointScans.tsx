import { useState } from 'react';
import { ApiError, errorText, get } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ScreenHeading } from '../components/Heading';
import { Alert, Status } from '../components/Messages';
import { dateTime } from '../format';
import { useIntent, useLiveEvent, useRefreshOnFocus, useResource, useThrottled } from '../hooks';
import { refusalTitle, rulesText } from '../scanning';
import type { CheckpointsById, ScanEvent, ScanOutcomeFilter, ScansById, ScanView } from '../api-types';

/** The API's page size for scans (page 1 is the newest). */
const PAGE = 100;

const TABS: [ScanOutcomeFilter, string][] = [
  ['accepted', 'Accepted'],
  ['refused', 'Refused'],
  ['annulled', 'Undone'],
];

/** "Grace Brown’s scan", or "the scan of #12" when the name is not known. */
function scanOf(scan: ScanView): string {
  if (scan.participant_name) return `${scan.participant_name}’s scan`;
  return scan.participant_id ? `the scan of #${scan.participant_id}` : 'the scan';
}

function outcomeText(scan: ScanView): string {
  if (scan.annulled) return `Undone ${dateTime(scan.annulled_at)}`;
  if (scan.outcome === 'accepted') return 'Accepted';
  return scan.reason ? refusalTitle(scan.reason) : 'Refused';
}

/** #/checkpoints/<id>: its accepted, refused and undone scans, newest first, live; an admin may undo any. */
export function CheckpointScans({ id }: { id: number }) {
  const [outcome, setOutcome] = useState<ScanOutcomeFilter>('accepted');
  const [pages, setPages] = useState(1);
  const checkpoint = useResource((signal) => get<CheckpointsById>(`/checkpoints/${id}`, { signal }));
  const scans = useResource(async (signal) => {
    const parts = await Promise.all(
      Array.from({ length: pages }, (_, n) =>
        get<ScansById>(`/checkpoints/${id}/scans?outcome=${outcome}&page=${n + 1}`, { signal }),
      ),
    );
    return { rows: Object.assign({}, ...parts) as ScansById, more: Object.keys(parts.at(-1) ?? {}).length >= PAGE };
  }, `${outcome}:${pages}`);
  // The API counts no undone scans: the first page of them gives the tab's count ("100+" beyond).
  const undone = useResource((signal) => get<ScansById>(`/checkpoints/${id}/scans?outcome=annulled&page=1`, { signal }));
  const refresh = useThrottled(() => {
    scans.reload();
    checkpoint.reload();
    undone.reload();
  }, 2000);
  useLiveEvent<ScanEvent>('scan', (event) => {
    if (event.checkpoint_id === id) refresh();
  });
  useRefreshOnFocus(refresh);
  const undoing = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState<[string, ScanView] | null>(null);

  async function undo([scanId, scan]: [string, ScanView]) {
    setConfirming(null);
    setStatus('');
    setError('');
    try {
      await undoing.send('POST', `/scans/${scanId}/undo`);
      setStatus(`Undone: ${scanOf(scan)} at ${dateTime(scan.scanned_at)} no longer counts.`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'already_annulled') setStatus('That scan was already undone.');
      else setError(errorText(failure));
    }
    refresh();
  }

  const current = checkpoint.data?.[id];
  const undoneRows = undone.data ? Object.keys(undone.data).length : undefined;
  const count: Record<ScanOutcomeFilter, number | string | undefined> = {
    accepted: current?.counts.accepted,
    refused: current?.counts.refused,
    annulled: undoneRows !== undefined && undoneRows >= PAGE ? `${PAGE}+` : undoneRows,
  };
  const rows = Object.entries(scans.data?.rows ?? {}).sort(([a], [b]) => Number(b) - Number(a));

  return (
    <section className="screen">
      <p>
        <a href="#/checkpoints">← All checkpoints</a>
      </p>
      <ScreenHeading>{current ? `Scans at ${current.name}` : 'Scans'}</ScreenHeading>
      {current && (
        <p className="muted small">
          {rulesText(current)}
          {current.archived && ' · archived'}
        </p>
      )}
      <Status tone="info">{status}</Status>
      <Alert>{error || checkpoint.error || scans.error}</Alert>
      <div className="tabs" role="group" aria-label="Which scans">
        {TABS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            className="button secondary"
            aria-pressed={outcome === value}
            onClick={() => {
              setOutcome(value);
              setPages(1);
              setStatus('');
              setError('');
            }}
          >
            {label}
            {count[value] !== undefined && <span className="tab-count">{count[value]}</span>}
          </button>
        ))}
      </div>
      {scans.loading && !scans.data && <p className="muted">Loading scans…</p>}
      {scans.data && rows.length === 0 && (
        <p className="muted">No {TABS.find(([value]) => value === outcome)?.[1].toLowerCase()} scans.</p>
      )}
      <ul className="ledger scans">
        {rows.map(([scanId, scan]) => (
          <li key={scanId} className="scan-row" data-testid={`scan-${scanId}`}>
            <span className="muted small">{dateTime(scan.scanned_at)}</span>
            <span>
              <strong>{scan.participant_name ?? (scan.participant_id ? `#${scan.participant_id}` : 'Unknown badge')}</strong>
              <br />
              <span className={scan.annulled ? 'scan-undone' : scan.outcome === 'accepted' ? 'scan-ok' : 'scan-bad'}>
                {outcomeText(scan)}
              </span>
              {scan.key_name && <span className="muted small"> · by {scan.key_name}</span>}
              {scan.offline && <span className="muted small"> · offline, uploaded {dateTime(scan.received_at)}</span>}
            </span>
            {scan.outcome === 'accepted' && !scan.annulled && (
              <button
                type="button"
                className="button danger"
                disabled={undoing.pending}
                onClick={() => setConfirming([scanId, scan])}
              >
                Undo
              </button>
            )}
          </li>
        ))}
      </ul>
      {scans.data?.more && (
        <button type="button" className="button secondary big" disabled={scans.loading} onClick={() => setPages((n) => n + 1)}>
          Show older
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Undo ${scanOf(confirming[1])}?`}
          confirmLabel="Yes, undo it"
          cancelLabel="Keep it"
          busy={undoing.pending}
          onConfirm={() => void undo(confirming)}
          onClose={() => setConfirming(null)}
        >
          <p>
            The scan at {dateTime(confirming[1].scanned_at)} will no longer count, so they may be served here again. It cannot be
            redone from here: they would need to be scanned again.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
