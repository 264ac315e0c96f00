import { clockTime, plural } from '../format';
import type { SyncReport } from '../offline/queue';
import { dismissReports, probe, type ScannerState } from '../offline/scanner';

const timeOf = (iso: string) => {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : clockTime(time / 1000);
};

/**
 * A station's offline banner: while the server cannot be reached (or the queue is being uploaded), how many
 * scans wait on this phone and that its answers are provisional. Gone once the queue is empty and online.
 */
export function OfflineQueueBanner({ scanner }: { scanner: ScannerState }) {
  const { mode, queue, roster, problem } = scanner;
  // Kept in the page while empty (and hidden by CSS), so that screen readers announce it when it fills.
  if (mode === 'online') return <div role="status" className="offline-queue" data-testid="offline-queue" />;
  const count = (
    <strong className="offline-queue-count" data-testid="queued-count">
      {queue.length}
    </strong>
  );
  const scans = queue.length === 1 ? 'scan' : 'scans';
  const list = roster
    ? ` against this phone’s list (${plural(roster.participants.size, 'person', 'people')}, synced ${timeOf(roster.syncedAt)})`
    : '';
  return (
    <div role="status" className="offline-queue" data-testid="offline-queue" data-mode={mode}>
      {mode === 'offline' ? (
        <p>
          Offline: {count} {scans} queued. Answers are provisional, checked{list}.
        </p>
      ) : (
        <p>
          Back online: uploading {count} {scans}…
        </p>
      )}
      {problem && <p className="small">{problem}</p>}
      {mode === 'offline' && (
        <button type="button" className="button small-button" onClick={() => void probe()}>
          Retry now
        </button>
      )}
    </div>
  );
}

const KIND_TITLE: Record<SyncReport['kind'], string> = {
  conflict: 'Not counted',
  failed: 'Not uploaded',
  note: 'Fine',
};

/** After a sync: the scans let through offline that the server could not count, or could not take, in plain words. */
export function SyncReports({ reports }: { reports: readonly SyncReport[] }) {
  if (reports.length === 0) return null;
  const problems = reports.filter((report) => report.kind !== 'note').length;
  return (
    <section className="card sync-reports" aria-labelledby="sync-reports-title" data-testid="sync-reports">
      <h2 id="sync-reports-title">
        {problems > 0 ? `After the sync: ${plural(problems, 'scan')} to look at` : 'After the sync'}
      </h2>
      <ul>
        {reports.map((report) => (
          <li
            key={report.nonce}
            className={`sync-report sync-report-${report.kind}`}
            data-testid="sync-report"
            data-kind={report.kind}
          >
            <p>
              <strong>{KIND_TITLE[report.kind]}:</strong> {report.name} · {report.place} · {timeOf(report.scannedAt)}
            </p>
            <p className="small">{report.text}</p>
            <button
              type="button"
              className="button secondary"
              aria-label={`Dismiss: ${report.name}`}
              onClick={() => dismissReports([report.nonce])}
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
      {reports.length > 1 && (
        <button type="button" className="button secondary" onClick={() => dismissReports()}>
          Dismiss all
        </button>
      )}
    </section>
  );
}
