import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ReportStore } from '../store/store.js';
import type { CollectorLive } from './app-deps.js';
import type { OverviewRow } from './overview/overview-row.js';
import type { OverviewCache } from './overview/overview-snapshot.js';

export interface MetricsDeps {
  readonly overview: OverviewCache;
  readonly store: Pick<ReportStore, 'counters'>;
  readonly live: CollectorLive;
}

type Labels = Record<string, string>;

/** Sets a counter to a running total kept elsewhere (prom-client counters only go up by `inc`). */
function setTotal(counter: Counter<string>, value: number, labels: Labels = {}): void {
  counter.inc(labels, value);
}

/**
 * `/metrics` in Prometheus' text format: per site (from the overview snapshot, so a scrape costs
 * no more reads than a dashboard view) and of the collector itself. Its own registry, so two apps
 * in one process (tests) never share series.
 */
export function createMetrics(deps: MetricsDeps): {
  registry: Registry;
  countResponse(route: string, status: number): void;
} {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pantau_collector_' });
  const registers = [registry];
  const site = ['site_id'];

  new Gauge({
    name: 'pantau_site_up',
    help: '1 when the site is heard and not offline, else 0; no series for a decommissioned site',
    labelNames: site,
    registers,
    async collect() {
      this.reset();
      for (const r of (await deps.overview.snapshot()).rows) {
        // A rule on `pantau_site_up == 0` must not page anyone for a site taken out of service.
        if (r.state === 'decommissioned') continue;
        this.set({ site_id: r.siteId }, r.state === 'offline' || r.state === 'unknown' ? 0 : 1);
      }
    },
  });
  const perSite = (name: string, help: string, pick: (r: OverviewRow) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: site,
      registers,
      async collect() {
        this.reset();
        for (const r of (await deps.overview.snapshot()).rows) {
          const v = pick(r);
          if (v !== null) this.set({ site_id: r.siteId }, v);
        }
      },
    });
  perSite('pantau_site_last_seen_timestamp_seconds', 'When the collector last heard the site', (r) =>
    r.lastSeenMs === null ? null : r.lastSeenMs / 1000,
  );
  perSite('pantau_site_battery_volts', "The battery's volts in the latest sample", (r) => r.batteryVolts);
  perSite('pantau_site_clients_24h', 'Most client devices in an hour over the last 24 hours', (r) => r.clients24h);
  perSite('pantau_site_client_down_bytes_24h', 'Client bytes downloaded over the last 24 hours', (r) => r.down24hBytes);
  perSite('pantau_site_client_up_bytes_24h', 'Client bytes uploaded over the last 24 hours', (r) => r.up24hBytes);

  const ingest = (name: string, help: string, pick: (c: ReturnType<CollectorLive['ingestCounters']>) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        setTotal(this, pick(deps.live.ingestCounters()));
      },
    });
  ingest('pantau_ingest_messages_total', 'Messages taken from the broker (this process)', (c) => c.messages);
  ingest(
    'pantau_ingest_samples_stored_total',
    'Samples newly stored (this process); rate() is the ingest rate',
    (c) => c.samplesStored,
  );
  ingest(
    'pantau_ingest_duplicates_total',
    'Samples received again after they were stored (this process)',
    (c) => c.duplicates,
  );
  new Counter({
    name: 'pantau_ingest_rejects_total',
    help: 'Rejected messages by reason (this process)',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(deps.live.ingestCounters().rejectsByReason)) {
        setTotal(this, n ?? 0, { reason });
      }
    },
  });
  new Counter({
    name: 'pantau_store_resend_requests_total',
    help: 'Resend requests published to sites (kept in the store, every process)',
    registers,
    async collect() {
      this.reset();
      setTotal(this, (await deps.store.counters()).resendRequests);
    },
  });
  new Gauge({
    name: 'pantau_health_pending_events',
    help: 'Ingest events waiting for the health evaluator (its lag)',
    registers,
    collect() {
      this.set(deps.live.evaluator()?.pendingEvents ?? 0);
    },
  });
  new Gauge({
    name: 'pantau_store_bytes',
    help: "The store's size on disk",
    registers,
    async collect() {
      const bytes = await deps.live.storeBytes();
      this.reset();
      if (bytes !== null) this.set(bytes);
    },
  });
  new Gauge({
    name: 'pantau_input_connected',
    help: '1 while the broker (or AMQP) connection is up',
    registers,
    collect() {
      this.set(deps.live.inputConnected() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pantau_input_counter',
    help: "The input's own counters by name (MQTT: storeFailures; AMQP: messages, redeliveries, reconnects; this process)",
    labelNames: ['name'],
    registers,
    collect() {
      this.reset();
      for (const [name, value] of Object.entries(deps.live.inputCounters() ?? {})) this.set({ name }, value);
    },
  });
  for (const [field, help] of [
    ['failed', 'Failed deliveries to an alert sink (each retried)'],
    ['givenUp', 'Notifications an alert sink never took (refused for good, or too old)'],
    ['delivered', 'Notifications delivered to an alert sink'],
  ] as const) {
    new Counter({
      name: `pantau_alert_sink_${field === 'givenUp' ? 'given_up' : field}_total`,
      help,
      labelNames: ['sink'],
      registers,
      collect() {
        this.reset();
        const counters = deps.live.evaluator()?.sinks ?? new Map();
        for (const [sink, c] of counters) setTotal(this, c[field], { sink });
      },
    });
  }
  const responses = new Counter({
    name: 'pantau_http_responses_total',
    help: 'HTTP answers by route and status (4xx: refused or bad requests, each with its error code in the body)',
    labelNames: ['route', 'status'],
    registers,
  });
  return {
    registry,
    countResponse: (route, status) => responses.inc({ route, status: String(status) }),
  };
}
