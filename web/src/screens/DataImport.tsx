import { useEffect, useRef, useState, type RefObject } from 'react';
import { ApiError, errorText, isAbort, outcomeUnknown, request } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Alert, Status } from '../components/Messages';
import { csvHeaders } from '../csv-headers';
import { sizeText } from '../download';
import { plural } from '../format';
import { useSettling } from '../hooks';
import type { ImportSummary } from '../api-types';

/** What a column can hold, as the import's `map` names them, and how the screen says it. */
const FIELDS = [
  ['name', 'Name'],
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['email', 'E-mail'],
  ['phone', 'Phone'],
  ['company', 'Company or school'],
  ['skills', 'Skills'],
  ['dietary_restrictions', 'Dietary restrictions'],
  ['tags', 'Tags'],
] as const;
type Field = (typeof FIELDS)[number][0];
const fieldLabel = (field: string) => FIELDS.find(([name]) => name === field)?.[1] ?? field;

/** A field matched by hand to "no column in this file" (`field=` in the map). */
const NO_COLUMN = '\u0000none';
/** Skipped rows listed at most; the count says how many more. */
const SKIPPED_SHOWN = 100;
const CSV = 'text/csv';

interface Upload {
  name: string;
  size: number;
  text: string;
  headers: string[];
}

/** Why the file cannot be previewed: its columns are not understood, the database holds demo data, or another refusal. */
type Problem = { kind: 'unmapped' | 'demo' | 'other'; text: string };

type Mapping = Partial<Record<Field, string>>;

/** `field=Header,...` for the fields matched by hand; '' when none is. */
function mapParameter(mapping: Mapping): string {
  return FIELDS.flatMap(([field]) => {
    const header = mapping[field];
    if (header === undefined || header === '') return [];
    return [`${field}=${header === NO_COLUMN ? '' : header}`];
  }).join(',');
}

function importQuery(options: { dryRun: boolean; update: boolean; reset: boolean; map: string }): string {
  const query = new URLSearchParams();
  if (options.dryRun) query.set('dry_run', 'true');
  if (options.reset) query.set('reset', 'true');
  else if (options.update) query.set('update', 'true');
  if (options.map) query.set('map', options.map);
  return query.toString();
}

function problemOf(failure: unknown): Problem {
  if (failure instanceof ApiError && failure.code === 'unmapped_columns') return { kind: 'unmapped', text: failure.message };
  if (failure instanceof ApiError && failure.code === 'demo_data') return { kind: 'demo', text: failure.message };
  if (failure instanceof ApiError && failure.code === 'payload_too_large')
    return {
      kind: 'other',
      text: 'The file is larger than the server takes in one upload. Split it in parts, or import it on the server with npm run import.',
    };
  return { kind: 'other', text: errorText(failure) };
}

/**
 * The server's words on columns it could not place, which name the headers found, without its advice for API callers
 * (the map query parameter): here the column selects do that.
 */
function unmappedText(message: string): string {
  const words = message.replace(/\.?\s*Name the columns with the map query parameter.*$/s, '.');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The file as text; null when it is not UTF-8 (the server would refuse it, and the preview would show it garbled). */
async function readText(file: File): Promise<string | null> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return null;
  }
}

/**
 * #/data/import: participants from a registration tool's CSV. The file is first sent as a dry run, whose answer is
 * the preview (new, updated, skipped rows and why, the columns read and ignored); only "Import" writes.
 */
export function DataImport() {
  const [upload, setUpload] = useState<Upload | null>(null);
  const [fileError, setFileError] = useState('');
  const [update, setUpdate] = useState(false);
  const [reset, setReset] = useState(false);
  const [mapping, setMapping] = useState<Mapping>({});
  const [preview, setPreview] = useState<{ query: string; summary: ImportSummary } | null>(null);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirmingReset, setConfirmingReset] = useState(false);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [error, setError] = useState('');
  const [fileInputKey, setFileInputKey] = useState(0);
  const [importing, setImporting] = useState(false);
  /** Set at the first tap, before the disabled button is drawn: a double tap's second one sends nothing. */
  const sending = useRef(false);
  /** Bumped to read the preview again (after an import whose answer was lost). */
  const [previewRun, setPreviewRun] = useState(0);
  // The preview just closed: a double tap's second tap must not land on what slid under the finger.
  const [settling, settle] = useSettling();
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const map = mapParameter(mapping);
  const realQuery = importQuery({ dryRun: false, update, reset, map });
  const text = upload?.text;

  // Every change of the file or of an option is previewed again: the counts depend on all of them.
  useEffect(() => {
    if (text === undefined) return;
    const controller = new AbortController();
    setChecking(true);
    setProblem(null);
    const query = importQuery({ dryRun: true, update, reset, map });
    request('POST', `/imports?${query}`, text, { contentType: CSV, signal: controller.signal })
      .then(async (response) => {
        const summary = (await response.json()) as ImportSummary;
        if (controller.signal.aborted) return;
        setPreview({ query: importQuery({ dryRun: false, update, reset, map }), summary });
        setChecking(false);
      })
      .catch((failure: unknown) => {
        if (controller.signal.aborted || isAbort(failure)) return;
        setPreview(null);
        setProblem(problemOf(failure));
        setChecking(false);
      });
    return () => controller.abort();
  }, [text, update, reset, map, previewRun]);

  async function choose(file: File | undefined) {
    setResult(null);
    setError('');
    setFileError('');
    setPreview(null);
    setProblem(null);
    setReset(false);
    setMapping({});
    setUpload(null);
    if (!file) return;
    const content = await readText(file);
    if (content === null) {
      setFileError(`${file.name} is not UTF-8 text. Save it from the spreadsheet as "CSV UTF-8", then choose it again.`);
      return;
    }
    if (content.trim() === '') {
      setFileError(`${file.name} is empty.`);
      return;
    }
    setUpload({ name: file.name, size: file.size, text: content, headers: csvHeaders(content) });
  }

  function clearFile() {
    setUpload(null);
    setPreview(null);
    setProblem(null);
    setReset(false);
    setMapping({});
    setFileInputKey((n) => n + 1);
  }

  /**
   * Sends the import once, without an Idempotency-Key: the server refuses one here (an import commits batch by batch).
   * Repeating it would do no harm anyway (rows already in are skipped as taken), but nothing repeats it by itself:
   * when the answer is lost, the preview is read again and shows what got in.
   */
  async function runImport() {
    if (!upload || !preview || sending.current) return;
    setError('');
    if (!navigator.onLine) {
      setError('You are offline, so nothing was sent. Import again when the connection is back.');
      return;
    }
    sending.current = true;
    setImporting(true);
    try {
      const response = await request('POST', `/imports?${preview.query}`, upload.text, { contentType: CSV });
      const summary = (await response.json()) as ImportSummary;
      settle();
      clearFile();
      setResult(summary);
    } catch (failure) {
      const found = problemOf(failure);
      if (outcomeUnknown(failure)) {
        setError(
          'The connection dropped before Tapioca answered, so the import may have gone through. Below is the file checked again: a row marked "e-mail already taken" is already in Tapioca, so nothing is imported twice.',
        );
        // Read without reset: had it happened, a reset preview would offer to replace the file's own people again.
        setReset(false);
        setPreviewRun((n) => n + 1);
      } else if (found.kind === 'other') setError(found.text);
      else {
        setPreview(null);
        setProblem(found);
      }
    } finally {
      sending.current = false;
      setImporting(false);
    }
  }

  const summary = preview?.summary;
  const current = preview !== null && preview.query === realQuery && !checking;
  const count = summary ? summary.new + summary.updated : 0;

  useEffect(() => {
    if (result) resultHeading.current?.focus({ preventScroll: false });
  }, [result]);

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Import participants from CSV</h2>
      <p className="muted">
        A CSV export from Google Forms, Typeform, Devpost, Luma, Eventbrite or a spreadsheet. Columns are found by their headers:
        Name (or First and Last Name), Email, Phone, Company or School, Skills (<code>Python:4; SQL:3</code>, or one column per
        skill), Dietary Restrictions, Tags. Nothing is saved until you press Import.
      </p>

      {result && <ImportResult summary={result} headingRef={resultHeading} />}

      <div className="card form import-file">
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input
            key={fileInputKey}
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(event) => void choose(event.target.files?.[0])}
            aria-describedby={fileError ? 'import-file-error' : undefined}
            aria-invalid={fileError ? true : undefined}
          />
          {fileError && (
            <p id="import-file-error" className="field-error">
              {fileError}
            </p>
          )}
        </div>
        {upload && (
          <p className="small muted" data-testid="import-file-info">
            {upload.name} · {sizeText(upload.size)} · {plural(upload.headers.filter(Boolean).length, 'column')}
          </p>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={update && !reset}
            disabled={reset}
            onChange={(event) => {
              setError('');
              setUpdate(event.target.checked);
            }}
          />{' '}
          Update participants already registered (matched by e-mail) instead of skipping them
        </label>
      </div>

      {upload && checking && !summary && (
        <p className="muted" role="status">
          Checking {upload.name}…
        </p>
      )}

      {upload && problem?.kind === 'unmapped' && (
        <div className="card problem-card" role="alert" data-testid="import-unmapped">
          <h3>The columns were not understood</h3>
          <p>{unmappedText(problem.text)}</p>
          <p className="small">Choose the columns under &ldquo;Match columns by hand&rdquo; below, or rename them in the file.</p>
        </div>
      )}
      {upload && problem?.kind === 'other' && <Alert>{problem.text}</Alert>}
      {upload && problem?.kind === 'demo' && (
        <div className="card message-warn-card" role="alert" data-testid="import-demo">
          <h3>This database holds demo data</h3>
          <p>
            Tapioca made up demo participants when it first started on an empty database. Real participants cannot be added beside
            them. Replacing the demo data deletes every participant and everything recorded with them (check-ins, tokens, orders,
            scans, loans, and the sign-in links and keys handed to them), then loads this file. Admin and volunteer keys stay.
            Nothing has been changed yet.
          </p>
          <button type="button" className="button danger" onClick={() => setConfirmingReset(true)}>
            Replace demo data…
          </button>
        </div>
      )}
      {upload && upload.headers.length > 0 && (
        <details className="card column-map" open={problem?.kind === 'unmapped' || map !== '' ? true : undefined}>
          <summary>Match columns by hand</summary>
          <p className="muted small">
            Only when a column is not found, or the wrong one is: the others are still found by their headers.
          </p>
          <div className="field-row">
            {FIELDS.map(([field, label]) => (
              <div className="field" key={field}>
                <label htmlFor={`map-${field}`}>{label}</label>
                <select
                  id={`map-${field}`}
                  value={mapping[field] ?? ''}
                  onChange={(event) => {
                    setError('');
                    setMapping((current) => ({ ...current, [field]: event.target.value }));
                  }}
                >
                  <option value="">Found by its header</option>
                  <option value={NO_COLUMN}>Not in this file</option>
                  {upload.headers
                    .filter((header, index) => header !== '' && upload.headers.indexOf(header) === index)
                    .map((header) => (
                      <option key={header} value={header}>
                        {header}
                      </option>
                    ))}
                </select>
              </div>
            ))}
          </div>
        </details>
      )}

      {upload && summary && (
        <section className="card import-preview" aria-labelledby="import-preview-title" aria-busy={checking}>
          <h3 id="import-preview-title">Preview of {upload.name}</h3>
          <p className="muted small">
            Nothing has been saved yet.{reset && ' The demo data will be replaced.'}
            {checking && ' Updating…'}
          </p>
          <SummaryCounts summary={summary} dryRun />
          <SkippedRows summary={summary} />
          <Columns summary={summary} />
          <Alert>{error}</Alert>
          {count > 0 ? (
            <button
              type="button"
              className={`button big ${reset ? 'danger' : 'primary'}`}
              disabled={!current || importing}
              onClick={() => void runImport()}
            >
              {importing
                ? 'Importing…'
                : reset
                  ? `Replace demo data and import ${plural(count, 'participant')}`
                  : `Import ${plural(count, 'participant')}`}
            </button>
          ) : (
            <p className="message message-warn">Nothing new to import: every row is skipped (see why below).</p>
          )}
          <div className="actions">
            <button type="button" className="button secondary" disabled={importing} onClick={clearFile}>
              Choose another file
            </button>
          </div>
        </section>
      )}

      {settling && (
        // Taken by the shield, the tap does not move the focus either.
        <div className="tap-shield" aria-hidden="true" onMouseDown={(event) => event.preventDefault()} />
      )}
      {confirmingReset && (
        <ConfirmDialog
          title="Replace the demo data?"
          confirmLabel="Yes, replace demo data"
          cancelLabel="Keep it"
          onConfirm={() => {
            setConfirmingReset(false);
            setUpdate(false);
            setReset(true);
          }}
          onClose={() => setConfirmingReset(false)}
        >
          <p>
            Every participant now in Tapioca, and their check-ins, tokens, orders, scans and loans, will be deleted when you
            import. You will see a preview first.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function SummaryCounts({ summary, dryRun = false }: { summary: ImportSummary; dryRun?: boolean }) {
  return (
    <dl className="stats small-stats import-summary">
      <div className="stat">
        <dt>{dryRun ? 'New' : 'Added'}</dt>
        <dd data-testid="import-new">{summary.new}</dd>
      </div>
      <div className="stat">
        <dt>Updated</dt>
        <dd data-testid="import-updated">{summary.updated}</dd>
      </div>
      <div className="stat">
        <dt>Skipped</dt>
        <dd data-testid="import-skipped">{summary.skipped.length}</dd>
      </div>
    </dl>
  );
}

function SkippedRows({ summary }: { summary: ImportSummary }) {
  if (summary.skipped.length === 0) return null;
  const hidden = summary.skipped.length - SKIPPED_SHOWN;
  return (
    <>
      <h4>Skipped rows</h4>
      <ul className="skipped-rows" data-testid="import-skipped-rows">
        {summary.skipped.slice(0, SKIPPED_SHOWN).map(({ row, reason }) => (
          <li key={row}>
            <strong>Row {row}</strong>: {reason}
          </li>
        ))}
      </ul>
      {hidden > 0 && <p className="muted small">…and {hidden} more.</p>}
    </>
  );
}

function Columns({ summary }: { summary: ImportSummary }) {
  const read = Object.entries(summary.columns);
  const skills = Object.entries(summary.skill_columns);
  return (
    <>
      <p className="column-list small">
        <strong>Columns read:</strong>{' '}
        {read.map(([field, header], index) => (
          <span key={field}>
            {index > 0 && ' · '}
            {fieldLabel(field)} ← &ldquo;{header}&rdquo;
          </span>
        ))}
        {skills.length > 0 && ` · skills from ${plural(skills.length, 'column')} (${skills.map(([skill]) => skill).join(', ')})`}
      </p>
      {summary.ignored_columns.length > 0 && (
        <p className="column-list small" data-testid="import-ignored">
          <strong>Columns not used:</strong> {summary.ignored_columns.map((header) => `“${header}”`).join(', ')}
        </p>
      )}
    </>
  );
}

/** What the import did: shown until another file is chosen. */
function ImportResult({ summary, headingRef }: { summary: ImportSummary; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const parts = [`${plural(summary.new, 'participant')} added`];
  if (summary.updated > 0) parts.push(`${summary.updated} updated`);
  if (summary.skipped.length > 0) parts.push(`${plural(summary.skipped.length, 'row')} skipped`);
  return (
    <section className="card new-key" aria-labelledby="import-result-title" data-testid="import-result">
      <h3 id="import-result-title" ref={headingRef} tabIndex={-1}>
        Imported
      </h3>
      <Status>{parts.join(', ')}.</Status>
      <SummaryCounts summary={summary} />
      <SkippedRows summary={summary} />
      <p className="small">
        Participants sign in with their own link: export them from <a href="#/keys">Keys</a> (Export sign-in links) for a mail
        merge.
      </p>
    </section>
  );
}
