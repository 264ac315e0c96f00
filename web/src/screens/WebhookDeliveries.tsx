import { useState } from 'react';
import { ApiError, errorText, get } from '../api';
import { Alert, Status } from '../components/Messages';
import { Pager } from '../components/Pager';
import { dateTime, plural } from '../format';
import { useIntent, useRefreshOnFocus, useResource } from '../hooks';
import type { Delivery, DeliveryPage, WebhooksById } from '../api-types';

const STATUS_TEXT: Record<Delivery['status'], string> = {
  pending: 'Waiting',
  delivered: 'Delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const STATUS_TAG: Record<Delivery['status'], string> = {
  pending: 'tag',
  delivered: 'tag tag-ok',
  failed: 'tag tag-bad',
  cancelled: 'tag',
};

/** The last attempt in a few words: the receiver's status code, or why there was no answer. */
function lastAttemptText(delivery: Delivery): string {
  const last = delivery.attempts.at(-1);
  if (!last) return 'Not sent yet';
  const answer = last.status_code !== null ? `HTTP ${last.status_code}` : (last.error ?? 'no answer');
  return `Last attempt ${dateTime(last.attempted_at)}: ${answer}`;
}

/** #/data/webhooks/<id>: what was sent to one endpoint, with every attempt; a failed delivery can be sent again. */
export function WebhookDeliveries({ id }: { id: number }) {
  const [page, setPage] = useState(1);
  const webhooks = useResource((signal) => get<WebhooksById>('/webhooks', { signal }));
  const deliveries = useResource(
    (signal) => get<DeliveryPage>(`/webhooks/${id}/deliveries?page=${page}`, { signal }),
    String(page),
  );
  const refresh = () => {
    webhooks.reload();
    deliveries.reload();
  };
  useRefreshOnFocus(refresh);
  const retrying = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  async function retry(delivery: Delivery) {
    setStatus('');
    setError('');
    try {
      await retrying.send('POST', `/webhooks/deliveries/${delivery.id}/retry`, {});
      setStatus(`Delivery #${delivery.id} (${delivery.event}) will be sent again now.`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'delivery_pending')
        setStatus(`Delivery #${delivery.id} is already waiting to be sent.`);
      else setError(errorText(failure));
    }
    refresh();
  }

  const webhook = webhooks.data?.[id];
  const data = deliveries.data;
  const rows = data?.deliveries ?? [];
  const more = data !== undefined && rows.length >= data.page_size;
  const notFound = deliveries.error !== null && webhooks.data !== undefined && webhook === undefined;

  return (
    <section aria-labelledby="deliveries-title">
      <p>
        <a href="#/data/webhooks">← All webhooks</a>
      </p>
      <h2 id="deliveries-title">Deliveries</h2>
      {webhook && (
        <p className="webhook-url">
          To <strong>{webhook.url}</strong>
          <span className="muted small">
            {' '}
            · {webhook.pending > 0 ? `${webhook.pending} waiting` : 'nothing waiting'} · {webhook.failed} failed
          </span>
        </p>
      )}
      <Status>{status}</Status>
      <Alert>{error || (notFound ? 'This webhook does not exist, or was deleted.' : deliveries.error)}</Alert>
      <div className="actions">
        <button type="button" className="button secondary" disabled={deliveries.loading} onClick={refresh}>
          Refresh
        </button>
      </div>
      {deliveries.loading && !data && <p className="muted">Loading…</p>}
      {data && rows.length === 0 && <p className="muted">{page > 1 ? 'No older deliveries.' : 'Nothing sent yet.'}</p>}
      <ul className="cards delivery-list">
        {rows.map((delivery) => (
          <li key={delivery.id} className={`card delivery delivery-${delivery.status}`} data-testid={`delivery-${delivery.id}`}>
            <div className="row-between">
              <div>
                <h3>
                  <code className="event-name">{delivery.event}</code>{' '}
                  <span className={STATUS_TAG[delivery.status]}>{STATUS_TEXT[delivery.status]}</span>
                </h3>
                <p className="small">
                  #{delivery.id} · {dateTime(delivery.created_at)} · {plural(delivery.attempts.length, 'attempt')}
                </p>
                <p className="small">{lastAttemptText(delivery)}</p>
                {delivery.status === 'pending' && delivery.next_attempt_at && delivery.attempts.length > 0 && (
                  <p className="small muted">Next attempt {dateTime(delivery.next_attempt_at)}</p>
                )}
                {delivery.finished_at && delivery.status !== 'delivered' && (
                  <p className="small muted">
                    {STATUS_TEXT[delivery.status]} {dateTime(delivery.finished_at)}
                  </p>
                )}
              </div>
              {delivery.status === 'failed' && (
                <button type="button" className="button primary" disabled={retrying.pending} onClick={() => void retry(delivery)}>
                  Retry<span className="visually-hidden"> delivery #{delivery.id}</span>
                </button>
              )}
            </div>
            <details className="delivery-details">
              <summary>Details</summary>
              <h4>Data sent</h4>
              <pre className="json">{JSON.stringify(delivery.data, null, 2)}</pre>
              {delivery.attempts.length > 0 && (
                <>
                  <h4>Attempts</h4>
                  <ol className="attempts">
                    {delivery.attempts.map((attempt, index) => (
                      <li key={index}>
                        {dateTime(attempt.attempted_at)} · {attempt.duration_ms} ms ·{' '}
                        {attempt.status_code !== null ? `HTTP ${attempt.status_code}` : 'no answer'}
                        {attempt.error && <span className="muted"> · {attempt.error}</span>}
                        {attempt.response && <pre className="json">{attempt.response}</pre>}
                      </li>
                    ))}
                  </ol>
                </>
              )}
            </details>
          </li>
        ))}
      </ul>
      <Pager page={page} more={more} loading={deliveries.loading} label="Delivery pages" onPage={setPage} />
    </section>
  );
}
