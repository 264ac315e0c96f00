import { useState, type FormEvent } from 'react';
import { get } from '../api';
import { auditDiff, shortened } from '../audit-diff';
import { Alert } from '../components/Messages';
import { Pager } from '../components/Pager';
import { dateTime } from '../format';
import { useRefreshOnFocus, useResource } from '../hooks';
import type { AuditPage, AuditRow } from '../api-types';

/** The table's columns; each cell repeats its name as data-label, the heading a phone shows above it. */
const COLUMNS = ['Time', 'Who', 'Action', 'Target', 'Change'] as const;

/** Suggestions for the action filter (it takes any action). */
const ACTIONS = [
  'participant.create',
  'participant.update',
  'participant.delete',
  'participants.import',
  'check_in.create',
  'badge.rotate',
  'tokens.grant',
  'tokens.exchange',
  'order.create',
  'order.move',
  'key.create',
  'key.revoke',
  'key.participant_links',
  'checkpoint.create',
  'checkpoint.update',
  'checkpoint.archive',
  'scan.accept',
  'scan.undo',
  'hardware.create',
  'hardware.update',
  'hardware.archive',
  'hardware_request.create',
  'hardware_request.move',
  'loan.lend',
  'loan.return',
  'loan.lose',
  'webhook.create',
  'webhook.delete',
  'webhook.retry',
];

interface Filter {
  action: string;
  target: string;
  actor: string;
}
const NO_FILTER: Filter = { action: '', target: '', actor: '' };

function queryOf(filter: Filter, page: number): string {
  const query = new URLSearchParams();
  if (filter.action) query.set('action', filter.action);
  if (filter.target) query.set('target', filter.target);
  if (filter.actor) query.set('actor', filter.actor);
  query.set('page', String(page));
  return query.toString();
}

/** #/data/audit: every change made with a staff key, newest first, filtered by action, target or key; a page at a time. */
export function AuditLog() {
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [page, setPage] = useState(1);
  const [formError, setFormError] = useState('');
  const query = queryOf(filter, page);
  const audit = useResource((signal) => get<AuditPage>(`/audit?${query}`, { signal }), query);
  useRefreshOnFocus(audit.reload);

  function apply(next: Filter) {
    setDraft(next);
    setFilter(next);
    setPage(1);
    setFormError('');
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next = { action: draft.action.trim(), target: draft.target.trim(), actor: draft.actor.trim() };
    if (next.actor && !/^[1-9]\d*$/.test(next.actor)) {
      setFormError('The key id is a whole number, such as 3 (the Keys screen lists them).');
      return;
    }
    apply(next);
  }

  const data = audit.data;
  const rows = data?.rows ?? [];
  const filtered = filter.action || filter.target || filter.actor;
  const more = data !== undefined && rows.length >= data.page_size;

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p className="muted">
        Every change made with an admin or volunteer key: who, what, on what, and the fields before and after. Newest first.
      </p>
      <form className="card form audit-filter" onSubmit={onSubmit} noValidate aria-label="Filter the audit log">
        <div className="field-row">
          <div className="field">
            <label htmlFor="audit-action">Action</label>
            <input
              id="audit-action"
              list="audit-actions"
              value={draft.action}
              onChange={(event) => setDraft({ ...draft, action: event.target.value })}
              placeholder="participant.update"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
            />
            <datalist id="audit-actions">
              {ACTIONS.map((action) => (
                <option key={action} value={action} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="audit-target">Target</label>
            <input
              id="audit-target"
              value={draft.target}
              onChange={(event) => setDraft({ ...draft, target: event.target.value })}
              placeholder="participant:42"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
            />
          </div>
          <div className="field">
            <label htmlFor="audit-actor">Key id</label>
            <input
              id="audit-actor"
              inputMode="numeric"
              value={draft.actor}
              onChange={(event) => setDraft({ ...draft, actor: event.target.value })}
              aria-invalid={formError ? true : undefined}
              aria-describedby={formError ? 'audit-actor-error' : undefined}
              autoComplete="off"
            />
            {formError && (
              <p id="audit-actor-error" className="field-error">
                {formError}
              </p>
            )}
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button primary">
            Filter
          </button>
          {filtered && (
            <button type="button" className="button secondary" onClick={() => apply(NO_FILTER)}>
              Show everything
            </button>
          )}
        </div>
      </form>

      <Alert>{audit.error}</Alert>
      {audit.loading && !data && <p className="muted">Loading…</p>}
      {data && rows.length === 0 && (
        <p className="muted">{page > 1 ? 'No older changes.' : filtered ? 'No change matches.' : 'No changes recorded yet.'}</p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          {/* Roles spelled out: on a phone the rows are laid out as blocks, which drops a table's own roles. */}
          <table className="audit-table" role="table" aria-busy={audit.loading}>
            <caption className="visually-hidden">Changes, newest first, page {page}</caption>
            <thead role="rowgroup">
              <tr role="row">
                {COLUMNS.map((column) => (
                  <th key={column} role="columnheader" scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody role="rowgroup">
              {rows.map((row) => (
                <tr key={row.id} role="row" data-testid={`audit-${row.id}`}>
                  <td role="cell" data-label="Time">
                    <time dateTime={row.at} title={row.at}>
                      {dateTime(row.at)}
                    </time>
                  </td>
                  <td role="cell" data-label="Who">
                    {row.actor.name} <span className="muted small">{row.actor.role}</span>
                    {row.actor.key_id !== null && (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="link-button small"
                          onClick={() => apply({ ...NO_FILTER, actor: String(row.actor.key_id) })}
                        >
                          key #{row.actor.key_id}
                          <span className="visually-hidden">: show only its changes</span>
                        </button>
                      </>
                    )}
                  </td>
                  <td role="cell" data-label="Action">
                    <code>{row.action}</code>
                  </td>
                  <td role="cell" data-label="Target">
                    <button type="button" className="link-button" onClick={() => apply({ ...NO_FILTER, target: row.target })}>
                      {row.target}
                      <span className="visually-hidden">: show only changes to it</span>
                    </button>
                  </td>
                  <td role="cell" data-label="Change">
                    <Change row={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} more={more} loading={audit.loading} label="Audit log pages" onPage={setPage} />
    </section>
  );
}

/** Before and after in a few lines: "field: old → new". */
function Change({ row }: { row: AuditRow }) {
  if (row.redacted) return <span className="muted small">Details erased: the participant was deleted.</span>;
  const lines = auditDiff(row.before, row.after);
  if (lines.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="diff">
      {lines.map(({ field, before, after }) => (
        <li key={field}>
          {field && <code className="diff-field">{field}:</code>}
          {field && ' '}
          {before !== undefined && (
            <del title={before}>
              <span className="visually-hidden">was </span>
              {shortened(before)}
            </del>
          )}
          {before !== undefined && after !== undefined && <span aria-hidden="true"> → </span>}
          {after !== undefined && (
            <ins title={after}>
              {before !== undefined && <span className="visually-hidden">now </span>}
              {shortened(after)}
            </ins>
          )}
        </li>
      ))}
    </ul>
  );
}
