import type { FastifyBaseLogger } from 'fastify';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '../../clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import { webhookBody } from './webhooks.formats.js';
import * as repository from './webhooks.repository.js';

export interface WebhookDispatchOptions {
  /** How often the queue is read for due deliveries. */
  pollMs: number;
  /** The first retry's delay; each later one doubles it, up to an hour. */
  retryBaseMs: number;
  /** How long a receiver has to answer before the attempt counts as failed. */
  timeoutMs: number;
  /** Endpoints sent to at once by this process; each endpoint gets one delivery at a time. */
  concurrency: number;
}

const DEFAULTS: WebhookDispatchOptions = { pollMs: 1000, retryBaseMs: 5000, timeoutMs: 10_000, concurrency: 8 };

/** Retries go on this long after the event; then the delivery is failed (and can be retried by hand). */
const RETRY_WINDOW_MS = 24 * 3600_000;
const LONGEST_RETRY_DELAY_MS = 3600_000;
/** A lease outlasts the longest send by this much, so only a process that died loses its delivery. */
const LEASE_MARGIN_MS = 60_000;
/** How much of a receiver's answer is kept with the attempt. */
const EXCERPT_BYTES = 1024;
const MAX_ERROR_LENGTH = 500;
const USER_AGENT = 'Tapioca-Webhooks';

/** The delay before retry number `attempts` (1 after the first failure), with ±25% jitter so retries spread out. */
function retryDelay(attempts: number, baseMs: number): number {
  const exponential = Math.min(baseMs * 2 ** Math.min(attempts - 1, 30), LONGEST_RETRY_DELAY_MS);
  return Math.round(exponential * (0.75 + Math.random() / 2));
}

/** The start of the receiver's answer; whatever it sends after the first KB, or too slowly, is not read. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // The status is the answer; a body cut short (timeout, reset) keeps what arrived.
  } finally {
    void reader.cancel().catch(() => {});
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES));
  // PostgreSQL text cannot hold NUL.
  return text.replaceAll('\u0000', '');
}

/** Why fetch gave no answer, from its cause: "connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND x". */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  // Connecting to every address of a name fails as an AggregateError, whose message may be empty.
  const message =
    (cause instanceof Error && cause.message) ||
    (typeof code === 'string' && code) ||
    (error instanceof Error ? error.message : String(error));
  return message.replaceAll('\u0000', '').slice(0, MAX_ERROR_LENGTH);
}

interface Sending {
  delivery: repository.DueDeliveryRow;
  leaseUntil: number;
}

/**
 * Sends the webhook outbox, one per API process. Every tick it leases the due head of each endpoint (its
 * oldest pending delivery, so an endpoint's deliveries go out in order and a failing one holds the rest back)
 * and sends it outside any transaction, several endpoints at once. A lease keeps other processes off a
 * delivery while it is sent; when the process dies mid-send the lease runs out and another sends it again
 * (at least once). Nothing here is awaited by a request: a slow or dead receiver only occupies this loop.
 */
export class WebhookDispatcher {
  private readonly options: WebhookDispatchOptions;
  private readonly sending = new Map<number, Promise<void>>();
  /** One per send in flight: closing aborts them all. */
  private readonly aborters = new Set<AbortController>();
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  /** Set while polls fail (the database is down), so the outage is logged once. */
  private pollFailing = false;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    options: Partial<WebhookDispatchOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(this.wake, this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops polling and abandons the sends in flight, giving their leases back; the database must still be open. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.closed = true;
    for (const aborter of this.aborters) aborter.abort();
    await this.polling;
    await Promise.all(this.sending.values());
  }

  /** Asks for a poll now; polls never overlap, and one asked for during a poll runs right after it. */
  private readonly wake = (): void => {
    if (this.closed) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll()
      .then(() => {
        if (!this.pollFailing) return;
        this.pollFailing = false;
        this.log.info('webhook queue readable again; deliveries resume');
      })
      .catch((error: unknown) => {
        // Once per outage, not once a second: the first failure says it, the recovery says it is over.
        if (this.pollFailing) return this.log.debug({ err: error }, 'webhook queue poll failed again');
        this.pollFailing = true;
        this.log.warn({ err: error }, 'webhook queue poll failed; deliveries wait and polling goes on every tick');
      })
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.wake();
        }
      });
  };

  private async poll(): Promise<void> {
    const free = this.options.concurrency - this.sending.size;
    if (free <= 0) return;
    const { db } = this.database;
    const now = this.clock.now();
    const due = await repository.findDueHeads(db, now, [...this.sending.keys()], free);
    if (due.length === 0 || this.closed) return;
    const leaseUntil = now + this.options.timeoutMs + LEASE_MARGIN_MS;
    const claimed = new Set(
      await repository.claimDeliveries(
        db,
        due.map((delivery) => delivery.id),
        now,
        leaseUntil,
      ),
    );
    for (const delivery of due) {
      if (!claimed.has(delivery.id)) continue;
      const job = { delivery, leaseUntil };
      const sent = this.send(job)
        .catch((error: unknown) => this.log.warn({ err: error, delivery_id: delivery.id }, 'webhook outcome not recorded'))
        .finally(() => {
          this.sending.delete(delivery.endpoint_id);
          // The endpoint's next delivery may be waiting on this one.
          this.wake();
        });
      this.sending.set(delivery.endpoint_id, sent);
    }
  }

  private async send({ delivery, leaseUntil }: Sending): Promise<void> {
    // Claimed while closing: close() is already past aborting the sends it knew of.
    if (this.closed) return repository.releaseLease(this.database.db, { id: delivery.id, leaseUntil });
    const { timeoutMs } = this.options;
    const body = webhookBody(
      delivery.format,
      delivery.event,
      JSON.parse(delivery.payload) as Record<string, unknown>,
      delivery.created_at,
    );
    const messageId = `msg_${delivery.id}`;
    const attemptedAt = this.clock.now();
    const started = performance.now();
    let statusCode: number | null = null;
    let response: string | null = null;
    let error: string | null = null;
    const aborter = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      aborter.abort();
    }, timeoutMs);
    this.aborters.add(aborter);
    try {
      const answer = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': messageId,
          'webhook-timestamp': String(Math.floor(attemptedAt / 1000)),
          'webhook-signature': new Webhook(delivery.secret).sign(messageId, new Date(attemptedAt), body),
        },
        body,
        // A receiver that moved is told so by its 3xx, recorded as a failure: the signature was for this URL.
        redirect: 'manual',
        signal: aborter.signal,
      });
      statusCode = answer.status;
      response = await readExcerpt(answer);
    } catch (failure) {
      if (!timedOut && this.closed) {
        await repository.releaseLease(this.database.db, { id: delivery.id, leaseUntil });
        return;
      }
      error = timedOut ? `No answer within ${timeoutMs / 1000} s` : describeFailure(failure);
    } finally {
      clearTimeout(timer);
      this.aborters.delete(aborter);
    }
    const durationMs = Math.round(performance.now() - started);
    const now = this.clock.now();
    const attempts = delivery.attempts + 1;
    const outcome: repository.Outcome =
      statusCode !== null && statusCode >= 200 && statusCode < 300
        ? { status: 'delivered' }
        : now >= delivery.created_at + RETRY_WINDOW_MS
          ? { status: 'failed' }
          : {
              status: 'pending',
              // The last retry comes at the end of the window rather than never.
              nextAttemptAt: Math.min(
                now + retryDelay(attempts, this.options.retryBaseMs),
                delivery.created_at + RETRY_WINDOW_MS,
              ),
            };
    await this.database.transact((trx) =>
      repository.recordAttempt(
        trx,
        { id: delivery.id, leaseUntil },
        { attempted_at: attemptedAt, duration_ms: durationMs, status_code: statusCode, response, error },
        outcome,
        now,
      ),
    );
  }
}
