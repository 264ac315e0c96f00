import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolUsage } from '../../db/database.js';
import { BOBA_STATUSES, LEDGER_KINDS, WEBHOOK_DELIVERY_STATUSES } from '../../db/tables.js';
import type { StatsService } from '../stats/stats.service.js';

export interface MetricsSources {
  stats: StatsService;
  /** Live update streams this process holds open. */
  liveClients: () => number;
  /** PostgreSQL. */
  poolUsage?: () => PoolUsage;
  /** SQLite. */
  observeCommitBatches?: (listener: (size: number) => void) => () => void;
  /** Told why the event figures could not be read; the scrape still answers with the process's own. */
  onReadFailure: (error: unknown) => void;
}

/** Group commit takes up to 64 transactions at once (src/db/transactions.ts). */
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64];
const UNMATCHED_ROUTE = 'unmatched';

/**
 * One registry per app (tests build several in one process). Request, pool, batch and live-stream figures
 * are this process's; the event figures (check-ins, scans, orders, tokens, webhooks, hardware) are read from
 * the database at each scrape, so every instance on one database reports the same values.
 */
export class MetricsService {
  readonly registry = new Registry();
  private readonly requestDuration = new Histogram({
    name: 'tapioca_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer sent, by route template and status; _count counts requests',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly gauges = {
    liveClients: this.gauge('tapioca_live_clients', 'Open /events streams on this process'),
    pool: this.gauge('tapioca_db_pool_connections', 'PostgreSQL pool: connections by state, queries waiting, and the maximum', [
      'state',
    ]),
    databaseUp: this.gauge('tapioca_metrics_database_up', '1 when this scrape could read the event figures from the database'),
    participants: this.gauge('tapioca_participants', 'Registered participants'),
    orders: this.gauge('tapioca_orders', 'Boba orders by their status now', ['status']),
    tokensHeld: this.gauge('tapioca_tokens_in_circulation', 'Tokens participants hold now'),
    scans: this.gauge(
      'tapioca_checkpoint_scans',
      'Checkpoint scans counted now by outcome (an undone scan leaves accepted); conflict: offline scans refused on upload',
      ['checkpoint_id', 'checkpoint', 'kind', 'outcome'],
    ),
    webhookDeliveries: this.gauge('tapioca_webhook_deliveries', 'Webhook deliveries by status (pending: waiting to be sent)', [
      'status',
    ]),
    hardware: this.gauge('tapioca_hardware', 'Hardware library: units owned and out, loans overdue, requests open', ['state']),
  };
  private readonly checkIns = new Counter({
    name: 'tapioca_check_ins_total',
    help: 'Participants checked in at the door',
    registers: [this.registry],
  });
  private readonly tokenMovements = new Counter({
    name: 'tapioca_token_movements_total',
    help: 'Tokens moved by the ledger, by kind (grant, exchange, order, refund) and direction (in: to participants)',
    labelNames: ['kind', 'direction'] as const,
    registers: [this.registry],
  });
  private readonly stopObservingBatches: () => void;

  constructor(private readonly sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry });
    const batchSizes = new Histogram({
      name: 'tapioca_sqlite_commit_batch_size',
      help: 'SQLite: write transactions committed together by each group commit',
      buckets: BATCH_SIZE_BUCKETS,
      registers: [this.registry],
    });
    this.stopObservingBatches = sources.observeCommitBatches?.((size) => batchSizes.observe(size)) ?? (() => {});
  }

  /** `route` is the route's template (/users/:id), so ids do not make a series each; none for a 404. */
  observeRequest(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route: route ?? UNMATCHED_ROUTE, status_code: String(statusCode) }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text a Prometheus scrape gets, with the event figures read now. */
  async render(): Promise<string> {
    this.gauges.liveClients.set(this.sources.liveClients());
    const pool = this.sources.poolUsage?.();
    if (pool) {
      for (const state of ['total', 'idle', 'waiting', 'max'] as const) this.gauges.pool.set({ state }, pool[state]);
    }
    try {
      await this.readEventFigures();
      this.gauges.databaseUp.set(1);
    } catch (error) {
      this.sources.onReadFailure(error);
      this.gauges.databaseUp.set(0);
    }
    return this.registry.metrics();
  }

  close(): void {
    this.stopObservingBatches();
  }

  private gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  private async readEventFigures(): Promise<void> {
    const [stats, counters] = await Promise.all([this.sources.stats.current(), this.sources.stats.counters()]);
    // Set in one turn, after every read: a scrape never sees half of one reading and half of the last.
    const { gauges } = this;
    gauges.participants.set(stats.participants);
    gauges.tokensHeld.set(stats.tokens_in_circulation);
    for (const status of BOBA_STATUSES) gauges.orders.set({ status }, counters.get(`order:${status}`) ?? 0);
    gauges.scans.reset();
    for (const checkpoint of stats.checkpoints) {
      const labels = { checkpoint_id: String(checkpoint.id), checkpoint: checkpoint.name, kind: checkpoint.kind };
      gauges.scans.set({ ...labels, outcome: 'accepted' }, checkpoint.accepted);
      gauges.scans.set({ ...labels, outcome: 'refused' }, checkpoint.refused);
      gauges.scans.set({ ...labels, outcome: 'conflict' }, checkpoint.conflicts);
    }
    // Every status, none missing: a panel of pending deliveries shows 0 rather than no data.
    for (const status of WEBHOOK_DELIVERY_STATUSES) {
      gauges.webhookDeliveries.set({ status }, counters.get(`webhook:${status}`) ?? 0);
    }
    const { hardware } = stats;
    for (const [state, value] of Object.entries({
      units: hardware.units,
      out: hardware.out,
      overdue_loans: hardware.overdue_loans,
      open_requests: hardware.open_requests,
    })) {
      gauges.hardware.set({ state }, value);
    }
    // Counters only go up, so a database total is given by starting again from zero.
    this.checkIns.reset();
    this.checkIns.inc(stats.checked_in);
    this.tokenMovements.reset();
    for (const kind of LEDGER_KINDS) {
      for (const direction of ['in', 'out'] as const) {
        this.tokenMovements.inc({ kind, direction }, counters.get(`ledger:${kind}:${direction}`) ?? 0);
      }
    }
  }
}
