import type { Clock } from '../../clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { Actor } from '../keys/keys.service.js';
import {
  type Audience,
  deleteEventsBefore,
  EVENTS_CHANNEL,
  type EventRow,
  findAudienceEvents,
  findEventsAfter,
  findUsableKeyIds,
  inAudience,
  lastEventId,
} from './events.repository.js';

export interface Subscriber {
  actor: Actor;
  send(event: EventRow): void;
  /** Ends the stream: its key was revoked or has expired. */
  close(): void;
}

interface Subscription {
  subscriber: Subscriber;
  audience: Audience;
  /** Ids this client got from its replay that the live stream has not caught up with yet, so not sent twice. */
  replayed: Set<number>;
  /** Live events held back while the replay is read, so the client gets everything in order; then null. */
  buffer: EventRow[] | null;
}

export interface EventHubOptions {
  /** How often the events table is read while anyone listens; on PostgreSQL a NOTIFY wakes it sooner. */
  pollMs: number;
  /** How often the keys of open streams are checked, so a revocation or expiry in any process ends them. */
  keyCheckMs: number;
  /** How often events older than the retention are deleted, whether or not anyone listens. */
  pruneEveryMs: number;
}

const DEFAULTS: Omit<EventHubOptions, 'pollMs'> = { keyCheckMs: 2000, pruneEveryMs: 10 * 60_000 };

/** What each role may read: admins everything, volunteers what their stations show, a participant their own. */
function audienceOf(actor: Actor): Audience {
  if (actor.role === 'admin') return {};
  if (actor.role === 'volunteer') return { types: ['order', 'checkin', 'scan', 'checkpoint', 'hardware'] };
  return { participantId: actor.participantId };
}

// On PostgreSQL ids are taken at insert but become visible at commit, so a lower id can appear after a
// higher one; re-reading this far back catches it, and `delivered` stops anything going out twice.
const LOOKBACK = 200;
const BATCH = 1000;
/** How long a client can be away and still catch up with Last-Event-ID. */
const RETENTION_MS = 24 * 3600_000;
const PRUNE_BATCH = 5000;
/** Keys per query of the key check: one query for any realistic number of open streams. */
const KEY_CHECK_BATCH = 500;

/**
 * Fans committed events out to the connected clients of this process. Polls the events table while
 * anyone listens; on PostgreSQL a NOTIFY from any process triggers a poll at once.
 */
export class EventHub {
  private readonly subscriptions = new Map<Subscriber, Subscription>();
  private readonly delivered = new Set<number>();
  private readonly options: EventHubOptions;
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private keyTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private running: Promise<void> | undefined;
  /** Moves on at every stop, so a start still under way when it stops cleans up after itself. */
  private generation = 0;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private checkingKeys: Promise<void> | undefined;
  private pruning: Promise<void> | undefined;

  constructor(
    private readonly database: DatabaseHandle,
    options: Partial<EventHubOptions> & Pick<EventHubOptions, 'pollMs'>,
    private readonly clock: Clock,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /** Replays what the client missed after `since` (if given), then streams new events. */
  async subscribe(subscriber: Subscriber, since: number | undefined): Promise<number> {
    const subscription: Subscription = { subscriber, audience: audienceOf(subscriber.actor), replayed: new Set(), buffer: [] };
    this.subscriptions.set(subscriber, subscription);
    try {
      this.running ??= this.start();
      await this.running;
      const latest = await lastEventId(this.database.db);
      if (since !== undefined && since < latest) await this.replay(subscription, since, latest);
      if (this.subscriptions.get(subscriber) !== subscription) return latest;
      for (const event of subscription.buffer ?? []) if (!subscription.replayed.has(event.id)) subscriber.send(event);
      subscription.buffer = null;
      // What the live stream has passed, or will never read again, cannot come twice.
      for (const id of subscription.replayed) {
        if (this.delivered.has(id) || id <= this.cursor - LOOKBACK) subscription.replayed.delete(id);
      }
      return latest;
    } catch (error) {
      this.unsubscribe(subscriber);
      throw error;
    }
  }

  unsubscribe(subscriber: Subscriber): void {
    if (!this.subscriptions.delete(subscriber)) return;
    if (this.subscriptions.size === 0) void this.stop();
  }

  /** Starts deleting events past their retention, on a timer of its own: the table must not grow while nobody listens. */
  startPruning(): void {
    if (this.pruneTimer) return;
    this.pruneTimer = setInterval(this.prune, this.options.pruneEveryMs);
    this.pruneTimer.unref();
    this.prune();
  }

  async close(): Promise<void> {
    this.subscriptions.clear();
    clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    await this.stop();
    // The database closes right after: let a running prune or key check finish first.
    await Promise.all([this.pruning, this.checkingKeys, this.polling]);
  }

  /** Asks for a poll now; polls never overlap, and one asked for during a poll runs right after it. */
  wake = (): void => {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll()
      .catch(() => {}) // a failed poll (database briefly away) is retried on the next tick
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.wake();
        }
      });
  };

  /** Pages through the client's own events up to `latest`, so it is not cut short by everyone else's. */
  private async replay(subscription: Subscription, since: number, latest: number): Promise<void> {
    let after = since;
    for (;;) {
      const page = await findAudienceEvents(this.database.db, subscription.audience, after, latest, BATCH);
      // The client may have gone, or been dropped for not reading, while the page was read.
      if (this.subscriptions.get(subscription.subscriber) !== subscription) return;
      for (const event of page) {
        subscription.subscriber.send(event);
        subscription.replayed.add(event.id);
      }
      if (page.length < BATCH) return;
      after = page[page.length - 1]!.id;
    }
  }

  private async start(): Promise<void> {
    const generation = this.generation;
    this.cursor = await lastEventId(this.database.db);
    this.delivered.clear();
    // What is already there was sent before anyone listened here: only later events go out live.
    for (const event of await findEventsAfter(this.database.db, Math.max(0, this.cursor - LOOKBACK), BATCH)) {
      this.delivered.add(event.id);
    }
    if (generation !== this.generation) return;
    this.timer = setInterval(this.wake, this.options.pollMs);
    this.timer.unref();
    this.keyTimer = setInterval(this.checkKeys, this.options.keyCheckMs);
    this.keyTimer.unref();
    if (!this.database.listen) return;
    const stopListening = await this.database.listen(EVENTS_CHANNEL, this.wake).catch(() => undefined);
    if (generation === this.generation) this.stopListening = stopListening;
    else await stopListening?.().catch(() => {});
  }

  private async stop(): Promise<void> {
    this.generation += 1;
    this.running = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    clearInterval(this.keyTimer);
    this.keyTimer = undefined;
    const stopListening = this.stopListening;
    this.stopListening = undefined;
    await stopListening?.().catch(() => {});
  }

  private async poll(): Promise<void> {
    const events = await findEventsAfter(this.database.db, Math.max(0, this.cursor - LOOKBACK), BATCH);
    for (const event of events) {
      if (this.delivered.has(event.id)) continue;
      this.delivered.add(event.id);
      this.cursor = Math.max(this.cursor, event.id);
      for (const subscription of this.subscriptions.values()) {
        if (subscription.replayed.delete(event.id) || !inAudience(subscription.audience, event)) continue;
        if (subscription.buffer) subscription.buffer.push(event);
        else subscription.subscriber.send(event);
      }
    }
    for (const id of this.delivered) if (id <= this.cursor - LOOKBACK) this.delivered.delete(id);
    // A full batch means more are waiting: read on now rather than fall behind by a batch every tick.
    if (events.length === BATCH) this.pollAgain = true;
  }

  /**
   * Ends the streams whose key stopped working. Revocations made by other processes sharing the database
   * count too, hence a query rather than a signal from the keys service.
   */
  private checkKeys = (): void => {
    if (this.checkingKeys || this.subscriptions.size === 0) return;
    const checked = [...new Set([...this.subscriptions.keys()].map((subscriber) => subscriber.actor.keyId))];
    this.checkingKeys = (async () => {
      const usable = new Set<number>();
      for (let start = 0; start < checked.length; start += KEY_CHECK_BATCH) {
        for (const id of await findUsableKeyIds(
          this.database.db,
          checked.slice(start, start + KEY_CHECK_BATCH),
          this.clock.now(),
        ))
          usable.add(id);
      }
      // Only keys that were checked: a stream opened during the query is not judged by it.
      const gone = new Set(checked.filter((id) => !usable.has(id)));
      for (const subscriber of [...this.subscriptions.keys()]) {
        if (!gone.has(subscriber.actor.keyId)) continue;
        this.unsubscribe(subscriber);
        subscriber.close();
      }
    })()
      .catch(() => {}) // database briefly away: checked again on the next tick
      .finally(() => {
        this.checkingKeys = undefined;
      });
  };

  private prune = (): void => {
    if (this.pruning) return;
    this.pruning = (async () => {
      const before = this.clock.now() - RETENTION_MS;
      // In batches, so a large backlog never holds the database (or, on SQLite, the event loop) for long.
      while ((await deleteEventsBefore(this.database.db, before, PRUNE_BATCH)) === PRUNE_BATCH) {
        if (!this.pruneTimer) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })()
      .catch(() => {}) // database briefly away: pruned on the next tick
      .finally(() => {
        this.pruning = undefined;
      });
  };
}
