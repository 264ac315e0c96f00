import { useState } from 'react';
import { ApiError, errorText, request } from '../api';
import { Alert, Status } from '../components/Messages';
import { filenameOf, readWithProgress, saveFile, sizeText } from '../download';

type ExportName = 'participants' | 'checkins' | 'scans' | 'orders' | 'ledger' | 'loans';

const EXPORTS: { name: ExportName; title: string; what: string }[] = [
  {
    name: 'participants',
    title: 'Participants',
    what: 'Everyone registered: name, e-mail, phone, company, skills, dietary restrictions, tags, check-in and tokens. Personal data: keep the file safe. It loads back into Tapioca through Import.',
  },
  { name: 'checkins', title: 'Check-ins', what: 'Who came in, when, and which key checked them in (participant ids, no names).' },
  {
    name: 'scans',
    title: 'Checkpoint scans',
    what: 'Every scan at a meal, workshop or swag table: accepted, refused or undone.',
  },
  { name: 'orders', title: 'Boba orders', what: 'Every order with its drink, status, delivery place and cost.' },
  { name: 'ledger', title: 'Token ledger', what: 'Every token movement: grants, exchanges, orders and refunds.' },
  { name: 'loans', title: 'Hardware loans', what: 'Every loan: item, quantity, returned, lost, due and closed times.' },
];

/** Bytes received so far for an export under way, the size of the file saved, or why it failed. */
type Progress =
  | { state: 'downloading'; received: number }
  | { state: 'saved'; filename: string; size: number }
  | { state: 'failed'; error: string };

/** #/data/exports: each export fetched with the admin key (a plain link cannot send it) and saved as a file. */
export function DataExports() {
  const [progress, setProgress] = useState<Partial<Record<ExportName, Progress>>>({});

  async function download(name: ExportName) {
    const set = (value: Progress) => setProgress((current) => ({ ...current, [name]: value }));
    set({ state: 'downloading', received: 0 });
    try {
      const response = await request('GET', `/exports/${name}.csv`, undefined, { accept: 'text/csv' });
      const blob = await readWithProgress(response, (received) => set({ state: 'downloading', received }));
      const filename = filenameOf(response, `tapioca-${name}.csv`);
      saveFile(blob, filename);
      set({ state: 'saved', filename, size: blob.size });
    } catch (failure) {
      // Said in the export's own row: the button just tapped is there, wherever the page is scrolled.
      // Not an ApiError: the answer had begun and the connection broke while the file came in.
      const error =
        failure instanceof ApiError
          ? errorText(failure)
          : 'The connection was lost during the download, so no file was saved. Download it again.';
      set({ state: 'failed', error });
    }
  }

  return (
    <section aria-labelledby="exports-title">
      <h2 id="exports-title">Exports</h2>
      <p className="muted">
        CSV files (UTF-8, a header row, times in UTC) for a spreadsheet or another tool. Cells that a spreadsheet would run as a
        formula start with &rsquo;.
      </p>
      <ul className="cards export-list">
        {EXPORTS.map(({ name, title, what }) => {
          const state = progress[name];
          const busy = state?.state === 'downloading';
          return (
            <li key={name} className="card export-row" data-testid={`export-${name}`} aria-busy={busy}>
              <div>
                <h3>{title}</h3>
                <p className="muted small">{what}</p>
                <Status>
                  {state?.state === 'downloading' &&
                    (state.received > 0 ? `Downloading… ${sizeText(state.received)}` : 'Preparing the file…')}
                  {state?.state === 'saved' && `Saved ${state.filename} (${sizeText(state.size)}).`}
                </Status>
                <Alert>{state?.state === 'failed' && state.error}</Alert>
              </div>
              <button type="button" className="button secondary" disabled={busy} onClick={() => void download(name)}>
                {busy ? 'Downloading…' : 'Download'}
                <span className="visually-hidden"> {title} CSV</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
