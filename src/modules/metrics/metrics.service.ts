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
 * the database's counters at each scrape, so every instance on one database reports the same values.
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
  private readonly liveClients = this.gauge('tapioca_live_clients', 'Open /events streams on this process');
  private readonly databaseUp = this.gauge(
    'tapioca_metrics_database_up',
    '1 when this scrape could read the event figures from the database',
  );
  private readonly pool;
  /** Registered once first read: a counter shown as 0 before would look reset to Prometheus, then counted again. */
  private readonly event = {
    participants: this.gauge('tapioca_participants', 'Registered participants', [], false),
    orders: this.gauge('tapioca_orders', 'Boba orders by their status now', ['status'], false),
    tokensHeld: this.gauge('tapioca_tokens_in_circulation', 'Tokens participants hold now', [], false),
    scans: this.gauge(
      'tapioca_checkpoint_scans',
      'Checkpoint scans counted now by outcome (an undone scan is taken off accepted); conflict: offline scans refused on upload',
      ['checkpoint_id', 'checkpoint', 'kind', 'outcome'],
      false,
    ),
    webhookDeliveries: this.gauge(
      'tapioca_webhook_deliveries',
      'Webhook deliveries by status (pending: waiting to be sent)',
      ['status'],
      false,
    ),
    hardwareUnits: this.gauge(
      'tapioca_hardware_units',
      'Hardware units owned (items not archived) and lent out now',
      ['state'],
      false,
    ),
    overdueLoans: this.gauge('tapioca_hardware_overdue_loans', 'Hardware loans past their due time', [], false),
    openRequests: this.gauge('tapioca_hardware_open_requests', 'Hardware requests not yet collected or cancelled', [], false),
    checkIns: new Counter({ name: 'tapioca_check_ins_total', help: 'Participants checked in at the door', registers: [] }),
    tokenMovements: new Counter({
      name: 'tapioca_token_movements_total',
      help: 'Tokens moved by the ledger, by kind (grant, exchange, order, refund) and direction (in: to participants)',
      labelNames: ['kind', 'direction'] as const,
      registers: [],
    }),
  };
  private eventFiguresShown = false;
  private readonly stopObservingBatches: () => void = () => {};

  constructor(private readonly sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry });
    this.pool = sources.poolUsage && {
      read: sources.poolUsage,
      connections: this.gauge('tapioca_db_pool_connections', 'PostgreSQL pool connections in use and idle', ['state']),
      max: this.gauge('tapioca_db_pool_max_connections', 'PostgreSQL pool size'),
      waiting: this.gauge('tapioca_db_pool_waiting_queries', 'Queries waiting for a PostgreSQL pool connection'),
    };
    if (sources.observeCommitBatches) {
      const batchSizes = new Histogram({
        name: 'tapioca_sqlite_commit_batch_size',
        help: 'SQLite: write transactions committed together by each group commit',
        buckets: BATCH_SIZE_BUCKETS,
        registers: [this.registry],
      });
      this.stopObservingBatches = sources.observeCommitBatches((size) => batchSizes.observe(size));
    }
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
    this.liveClients.set(this.sources.liveClients());
    if (this.pool) {
      const usage = this.pool.read();
      this.pool.connections.set({ state: 'active' }, usage.total - usage.idle);
      this.pool.connections.set({ state: 'idle' }, usage.idle);
      this.pool.max.set(usage.max);
      this.pool.waiting.set(usage.waiting);
    }
    try {
      await this.readEventFigures();
      this.databaseUp.set(1);
    } catch (error) {
      this.sources.onReadFailure(error);
      this.databaseUp.set(0);
    }
    return this.registry.metrics();
  }

  close(): void {
    this.stopObservingBatches();
  }

  private gauge(name: string, help: string, labelNames: string[] = [], registered = true): Gauge {
    return new Gauge({ name, help, labelNames, registers: registered ? [this.registry] : [] });
  }

  private async readEventFigures(): Promise<void> {
    const { counters, checkedIn, checkpoints, hardware } = await this.sources.stats.counts();
    const { event } = this;
    event.participants.set(counters.get('participants') ?? 0);
    event.tokensHeld.set(counters.get('tokens') ?? 0);
    for (const status of BOBA_STATUSES) event.orders.set({ status }, counters.get(`order:${status}`) ?? 0);
    event.scans.reset();
    for (const checkpoint of checkpoints) {
      const labels = { checkpoint_id: String(checkpoint.id), checkpoint: checkpoint.name, kind: checkpoint.kind };
      event.scans.set({ ...labels, outcome: 'accepted' }, checkpoint.accepted_count);
      event.scans.set({ ...labels, outcome: 'refused' }, checkpoint.refused_count);
      event.scans.set({ ...labels, outcome: 'conflict' }, checkpoint.conflict_count);
    }
    // Every status, none missing: a panel of pending deliveries shows 0 rather than no data.
    for (const status of WEBHOOK_DELIVERY_STATUSES) {
      event.webhookDeliveries.set({ status }, counters.get(`webhook:${status}`) ?? 0);
    }
    event.hardwareUnits.set({ state: 'owned' }, hardware.units);
    event.hardwareUnits.set({ state: 'out' }, hardware.out);
    event.overdueLoans.set(hardware.overdue_loans);
    event.openRequests.set(hardware.open_requests);
    // Counters only go up, so a database total is given by starting again from zero.
    event.checkIns.reset();
    event.checkIns.inc(checkedIn);
    event.tokenMovements.reset();
    for (const kind of LEDGER_KINDS) {
      for (const direction of ['in', 'out'] as const) {
        event.tokenMovements.inc({ kind, direction }, counters.get(`ledger:${kind}:${direction}`) ?? 0);
      }
    }
    if (!this.eventFiguresShown) {
      for (const metric of Object.values(event)) this.registry.registerMetric(metric);
      this.eventFiguresShown = true;
    }
  }
}
