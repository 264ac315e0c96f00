import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorText, get } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyField } from '../components/CopyField';
import { Alert, Status } from '../components/Messages';
import { dateTime, plural } from '../format';
import { useIntent, useRefreshOnFocus, useResource, useSettling } from '../hooks';
import { WebhookDeliveries } from './WebhookDeliveries';
import type { CreatedWebhook, NewWebhook, WebhookEventName, WebhookFormat, WebhooksById, WebhookView } from '../api-types';

/** What each event is, in the order the form lists them; `loan.*` takes every loan event, present and future. */
const EVENTS: [WebhookEventName, string][] = [
  ['check_in', 'Someone is checked in'],
  ['scan', 'A badge is scanned at a checkpoint (accepted or refused)'],
  ['order.created', 'A boba order is placed'],
  ['order.moved', 'A boba order changes status'],
  ['tokens.granted', 'Organizers give someone tokens'],
  ['loan.*', 'Every hardware loan event (lent, returned, lost)'],
  ['loan.lent', 'Hardware is lent'],
  ['loan.returned', 'Hardware is taken back'],
  ['loan.lost', 'Hardware is written off as lost'],
];
const isLoanEvent = (event: string) => event.startsWith('loan.') && event !== 'loan.*';

const FORMATS: [WebhookFormat, string, string][] = [
  ['json', 'JSON (signed)', 'Standard Webhooks JSON, signed: for your own code, Zapier, Make or n8n.'],
  ['discord', 'Discord', 'A Discord channel’s webhook URL: one readable line per event.'],
  ['slack', 'Slack', 'A Slack incoming webhook URL: one readable line per event.'],
];
const formatName = (format: string) => ({ json: 'JSON', discord: 'Discord', slack: 'Slack' })[format] ?? format;

/** #/data/webhooks: the endpoints Tapioca tells about changes; #/data/webhooks/<id>: one endpoint's deliveries. */
export function Webhooks({ endpointId }: { endpointId?: string }) {
  const id = Number(endpointId);
  if (endpointId !== undefined && Number.isInteger(id) && id > 0) return <WebhookDeliveries key={id} id={id} />;
  return <WebhookList />;
}

function WebhookList() {
  const webhooks = useResource((signal) => get<WebhooksById>('/webhooks', { signal }));
  useRefreshOnFocus(webhooks.reload);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [deleting, setDeleting] = useState<WebhookView | null>(null);
  const removing = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const newButton = useRef<HTMLButtonElement>(null);
  // The form just closed: a double tap's second tap must not land on the secret's buttons, which take its place.
  const [settling, settle] = useSettling();

  async function remove(webhook: WebhookView) {
    setDeleting(null);
    setStatus('');
    setError('');
    try {
      await removing.send('DELETE', `/webhooks/${webhook.id}`);
      webhooks.setData((current) => {
        const next = { ...current };
        delete next[webhook.id];
        return next;
      });
      setStatus(`Webhook to ${webhook.url} deleted: nothing more is sent there.`);
    } catch (failure) {
      setError(errorText(failure));
    }
    webhooks.reload();
  }

  const list = Object.values(webhooks.data ?? {}).sort((a, b) => a.id - b.id);

  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        Tapioca tells other tools when something happens (a check-in, an order, a loan): it sends each event to the URLs below,
        retrying for 24 hours while a receiver is down. Events carry ids, never names or e-mail addresses.
      </p>
      <Status>{status}</Status>
      <Alert>{error || webhooks.error}</Alert>
      {created && (
        <NewSecret
          created={created}
          onDone={() => {
            setCreated(null);
            newButton.current?.focus({ preventScroll: true });
          }}
        />
      )}
      {creating ? (
        <WebhookForm
          onCreated={(answer) => {
            settle();
            setCreating(false);
            setCreated(answer);
            setStatus('');
            webhooks.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      ) : (
        <button
          ref={newButton}
          type="button"
          className="button primary big"
          onClick={() => {
            setStatus('');
            setCreated(null);
            setCreating(true);
          }}
        >
          New webhook
        </button>
      )}
      {webhooks.loading && !webhooks.data && <p className="muted">Loading…</p>}
      {webhooks.data && list.length === 0 && <p className="muted">No webhooks yet.</p>}
      <ul className="cards webhook-list">
        {list.map((webhook) => (
          <li key={webhook.id} className="card webhook" data-testid={`webhook-${webhook.id}`}>
            <h3 className="webhook-url">{webhook.url}</h3>
            <p className="small">
              <span className="tag">{formatName(webhook.format)}</span>{' '}
              {webhook.events.map((event) => (
                <span key={event}>
                  <code className="event-name">{event}</code>{' '}
                </span>
              ))}
            </p>
            <p className="small">
              {webhook.pending > 0 ? `${plural(webhook.pending, 'delivery', 'deliveries')} waiting` : 'Nothing waiting'}
              {webhook.failed > 0 && (
                <>
                  {' · '}
                  <span className="tag tag-bad">{webhook.failed} failed</span>
                </>
              )}
              <span className="muted"> · added {dateTime(webhook.created_at)}</span>
            </p>
            <div className="actions">
              <a className="button secondary" href={`#/data/webhooks/${webhook.id}`}>
                Deliveries<span className="visually-hidden"> to {webhook.url}</span>
              </a>
              <button type="button" className="button danger" disabled={removing.pending} onClick={() => setDeleting(webhook)}>
                Delete<span className="visually-hidden"> webhook to {webhook.url}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
      {settling && (
        // Taken by the shield, the tap does not move the focus either.
        <div className="tap-shield" aria-hidden="true" onMouseDown={(event) => event.preventDefault()} />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete this webhook?"
          confirmLabel="Yes, delete"
          cancelLabel="Keep it"
          busy={removing.pending}
          onConfirm={() => void remove(deleting)}
          onClose={() => setDeleting(null)}
        >
          <p className="webhook-url">{deleting.url}</p>
          <p>
            Tapioca stops sending events there at once
            {deleting.pending > 0 &&
              `, and the ${plural(deleting.pending, 'delivery', 'deliveries')} still waiting are cancelled`}
            . This cannot be undone: to send there again, add it again (with a new secret).
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

interface WebhookFormProps {
  onCreated: (created: CreatedWebhook) => void;
  onCancel: () => void;
}

function WebhookForm({ onCreated, onCancel }: WebhookFormProps) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<Set<WebhookEventName>>(() => new Set());
  const [format, setFormat] = useState<WebhookFormat>('json');
  const [errors, setErrors] = useState<{ url?: string; events?: string }>({});
  const [error, setError] = useState('');
  const saving = useIntent();
  const urlInput = useRef<HTMLInputElement>(null);
  useEffect(() => urlInput.current?.focus(), []);

  const allLoans = events.has('loan.*');
  function toggle(event: WebhookEventName, on: boolean) {
    setErrors((current) => ({ ...current, events: undefined }));
    setEvents((current) => {
      const next = new Set(current);
      if (on) next.add(event);
      else next.delete(event);
      return next;
    });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError('');
    const trimmed = url.trim();
    const found: typeof errors = {};
    if (!/^https?:\/\/\S+$/i.test(trimmed)) found.url = 'Enter the receiver’s URL, starting with https:// (or http://).';
    // loan.* already takes each loan event: they are not sent as well.
    const chosen = [...events].filter((name) => !(allLoans && isLoanEvent(name)));
    if (chosen.length === 0) found.events = 'Choose at least one event.';
    setErrors(found);
    if (found.url || found.events) {
      document.getElementById(found.url ? 'webhook-url' : 'webhook-event-check_in')?.focus();
      return;
    }
    const body: NewWebhook = { url: trimmed, events: chosen, format };
    try {
      onCreated(await saving.send<CreatedWebhook>('POST', '/webhooks', body));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <form
      className="card form webhook-form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby="webhook-form-title"
    >
      <h3 id="webhook-form-title">New webhook</h3>
      <div className="field">
        <label htmlFor="webhook-url">URL</label>
        <input
          ref={urlInput}
          id="webhook-url"
          type="url"
          inputMode="url"
          value={url}
          onChange={(event) => {
            setUrl(event.target.value);
            setErrors((current) => ({ ...current, url: undefined }));
          }}
          placeholder="https://example.com/tapioca-hook"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={2000}
          aria-invalid={errors.url ? true : undefined}
          aria-describedby={errors.url ? 'webhook-url-error' : undefined}
        />
        {errors.url && (
          <p id="webhook-url-error" className="field-error">
            {errors.url}
          </p>
        )}
      </div>
      <fieldset className="webhook-events" aria-describedby={errors.events ? 'webhook-events-error' : undefined}>
        <legend>Events</legend>
        {EVENTS.map(([name, what]) => {
          const covered = allLoans && isLoanEvent(name);
          return (
            <label key={name} className={`check event-check${isLoanEvent(name) ? ' event-check-nested' : ''}`}>
              <input
                id={`webhook-event-${name}`}
                type="checkbox"
                checked={events.has(name) || covered}
                disabled={covered}
                onChange={(event) => toggle(name, event.target.checked)}
              />{' '}
              <span>
                <code className="event-name">{name}</code> <span className="muted small">{what}</span>
              </span>
            </label>
          );
        })}
        {errors.events && (
          <p id="webhook-events-error" className="field-error">
            {errors.events}
          </p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="webhook-format">Format</label>
        <select
          id="webhook-format"
          value={format}
          onChange={(event) => setFormat(event.target.value as WebhookFormat)}
          aria-describedby="webhook-format-hint"
        >
          {FORMATS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <p id="webhook-format-hint" className="muted small">
          {FORMATS.find(([value]) => value === format)?.[2]}
        </p>
      </div>
      <Alert>{error}</Alert>
      <div className="actions">
        <button type="submit" className="button primary" disabled={saving.pending}>
          Add webhook
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The signing secret, shown this once: the list never shows it again. */
function NewSecret({ created, onDone }: { created: CreatedWebhook; onDone: () => void }) {
  const [copied, setCopied] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="card new-key" data-testid="webhook-secret-card">
      <h3 ref={heading} tabIndex={-1}>
        Webhook added: copy its signing secret now
      </h3>
      <p className="webhook-url">{created.url}</p>
      <p className="message message-warn">
        You will not see this secret again. Put it in the receiving service now: it checks with it that each delivery comes from
        Tapioca (the webhook-signature header).
        {created.format !== 'json' &&
          ` ${formatName(created.format)} does not ask for it; keep it only if you check signatures yourself.`}
      </p>
      <CopyField
        id="webhook-secret"
        label="Signing secret"
        value={created.secret}
        noun="secret"
        testId="webhook-secret"
        onCopied={setCopied}
      />
      <div className="actions">
        <button type="button" className="button primary" onClick={onDone}>
          I have copied it
        </button>
      </div>
      <p className="muted small" aria-live="polite">
        {copied}
      </p>
    </div>
  );
}
