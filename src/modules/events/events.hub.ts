import type { DatabaseHandle } from '../../db/database.js';
import type { Actor } from '../keys/keys.service.js';
import { deleteEventsBefore, EVENTS_CHANNEL, type EventRow, findEventsAfter, lastEventId } from './events.repository.js';

export interface Subscriber {
  actor: Actor;
  send(event: EventRow): void;
}

interface Subscription extends Subscriber {
  /** Ids this client got from its replay, which the live stream must not send again. */
  replayed: Set<number>;
  /** Live events held back while the replay is read, so the client gets everything in order; then null. */
  buffer: EventRow[] | null;
}

/** What each role may read: admins everything, volunteers orders and check-ins, a participant their own. */
export function canSee(actor: Actor, event: EventRow): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role === 'volunteer') return event.type === 'order' || event.type === 'checkin';
  return event.participant_id !== null && event.participant_id === actor.participantId;
}

// On PostgreSQL ids are taken at insert but become visible at commit, so a lower id can appear after a
// higher one; re-reading this far back catches it, and `delivered` stops anything going out twice.
const LOOKBACK = 200;
const BATCH = 1000;
const RETENTION_MS = 24 * 3600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Fans committed events out to the connected clients of this process. Polls the events table while
 * anyone listens; on PostgreSQL a NOTIFY from any process triggers a poll at once.
 */
export class EventHub {
  private readonly subscribers = new Map<Subscriber, Subscription>();
  private readonly delivered = new Set<number>();
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private running: Promise<void> | undefined;
  /** Moves on at every stop, so a start still under way when it stops cleans up after itself. */
  private generation = 0;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private lastPrune = 0;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly pollMs: number,
  ) {}

  /** Replays what the client missed after `since` (if given), then streams new events. */
  async subscribe(subscriber: Subscriber, since: number | undefined): Promise<number> {
    const subscription: Subscription = { ...subscriber, replayed: new Set(), buffer: [] };
    this.subscribers.set(subscriber, subscription);
    try {
      this.running ??= this.start();
      await this.running;
      const latest = await lastEventId(this.database.db);
      if (since !== undefined && since < latest) {
        for (const event of await findEventsAfter(this.database.db, since, BATCH)) {
          if (!canSee(subscriber.actor, event)) continue;
          subscriber.send(event);
          subscription.replayed.add(event.id);
        }
      }
      for (const event of subscription.buffer ?? []) if (!subscription.replayed.has(event.id)) subscriber.send(event);
      subscription.buffer = null;
      return latest;
    } catch (error) {
      this.unsubscribe(subscriber);
      throw error;
    }
  }

  unsubscribe(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) void this.stop();
  }

  async close(): Promise<void> {
    this.subscribers.clear();
    await this.stop();
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

  private async start(): Promise<void> {
    const generation = this.generation;
    this.cursor = await lastEventId(this.database.db);
    this.delivered.clear();
    // What is already there was sent before anyone listened here: only later events go out live.
    for (const event of await findEventsAfter(this.database.db, Math.max(0, this.cursor - LOOKBACK), BATCH)) {
      this.delivered.add(event.id);
    }
    if (generation !== this.generation) return;
    this.timer = setInterval(this.wake, this.pollMs);
    this.timer.unref();
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
      for (const subscription of this.subscribers.values()) {
        if (subscription.replayed.has(event.id) || !canSee(subscription.actor, event)) continue;
        if (subscription.buffer) subscription.buffer.push(event);
        else subscription.send(event);
      }
    }
    for (const id of this.delivered) if (id <= this.cursor - LOOKBACK) this.delivered.delete(id);
    const now = Date.now();
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await deleteEventsBefore(this.database.db, now - RETENTION_MS);
    }
  }
}
