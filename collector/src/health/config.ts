import { z } from 'zod';

/** The site groups of the registry; underused thresholds are set per group. */
export const siteGroups = ['village_office', 'school', 'health_post', 'other'] as const;
export type SiteGroup = (typeof siteGroups)[number];

const seconds = (min: number, max: number, fallback: number) => z.int().min(min).max(max).default(fallback);
const share = (fallback: number) => z.number().min(0).max(1).default(fallback);

const groupThresholds = z.strictObject({
  /** Client traffic (in + out, the agent's own excluded) per hour online, in MB. */
  minClientMbPerOnlineHour: z.number().min(0),
  /** Share of online minutes with client traffic (docs/storage.md, activeMinutes). */
  minActiveShare: z.number().min(0).max(1),
  /** The most client devices seen at once, on the best day of the window. */
  minClients: z.int().min(0),
});
export type GroupThresholds = z.infer<typeof groupThresholds>;

const tolerance = (fireAfterSec: number, resolveAfterSec: number) =>
  z
    .strictObject({
      /** The condition must hold this long before the alert fires. */
      fireAfterSec: seconds(0, 86_400, fireAfterSec),
      /** And be gone this long before it resolves. */
      resolveAfterSec: seconds(0, 86_400, resolveAfterSec),
    })
    .prefault({});

/**
 * Health rules and alert delivery. Every figure is documented with its default in docs/health.md;
 * this object is meant to sit under `health:` in the collector's config.
 */
export const healthConfigSchema = z
  .strictObject({
    /** Judge health and send alerts in `serve`; off, the collector only stores. */
    enabled: z.boolean().default(true),
    /** How often `serve` runs an evaluation pass (silences, settling wills, tolerances) and delivers. */
    evaluateIntervalSec: seconds(1, 300, 5),
    /** How often `serve` reads back what commands changed: registry, silences, maintenance, acks. */
    syncIntervalSec: seconds(1, 3600, 10),
    /** How often the daily roll-ups are judged again for underused sites and missing samples. */
    usageIntervalSec: seconds(60, 86_400, 3600),
    /** For sites the registry says nothing about (and unregistered ones). */
    defaults: z
      .strictObject({
        sampleIntervalSec: seconds(1, 3600, 60),
        deliveryIntervalSec: seconds(1, 86_400, 300),
      })
      .prefault({}),
    offline: z
      .strictObject({
        /** Silent past `silenceFactor` x the expected delivery interval + `silenceGraceSec`: offline. */
        silenceFactor: z.number().min(1).max(20).default(2),
        silenceGraceSec: seconds(0, 86_400, 60),
        /**
         * A will waits this long before it counts, so that a burst of wills (a broker restart at the
         * NOC) is seen as one NOC-side event before any site's alert is judged.
         */
        willSettleSec: seconds(0, 600, 5),
        /** Battery at or under this before the silence (unknown disconnect voltage): cause power. */
        lowBatteryVolts: z.number().min(0).max(100).default(11.9),
        /** Battery falling at least this fast before the silence: cause power. */
        fallingVoltsPerHour: z.number().min(0).max(100).default(0.3),
        /** Data that arrives up to this long after an outage ended may still revise its cause. */
        revisionWindowSec: seconds(0, 30 * 86_400, 2 * 86_400),
      })
      .prefault({}),
    degraded: z
      .strictObject({
        /** Trailing window of samples judged. */
        windowSec: seconds(60, 86_400, 900),
        /** At least this many samples in the window before anything is judged. */
        minSamples: z.int().min(1).max(10_000).default(5),
        /** A sample is bad when the internet (or NOC) round trip is over this... */
        maxRttMs: z.number().min(1).default(1500),
        /** ...or its loss over this... */
        maxLossPct: z.number().min(0).max(100).default(20),
        /** ...or the agent saw the link down. Degraded when this share of the window's samples is bad. */
        badShare: share(0.5),
      })
      .prefault({}),
    power: z
      .strictObject({
        /** Warn this far above the battery's low-voltage disconnect (percent of it)... */
        warnAboveDisconnectPct: z.number().min(0).max(50).default(4),
        /** ...or, where the disconnect voltage is unknown, under this (a 12 V battery). */
        warnVolts: z.number().min(0).max(100).default(11.8),
        /** The disconnect voltage assumed for extrapolation when neither registry nor charger tells. */
        defaultDisconnectVolts: z.number().min(0).max(100).default(11.1),
        /** Night discharge is fitted over this window of battery readings... */
        trendWindowSec: seconds(600, 86_400, 7200),
        /** ...of at least this many readings spanning at least `minTrendSpanSec`. */
        minTrendSamples: z.int().min(2).max(1000).default(6),
        minTrendSpanSec: seconds(60, 86_400, 1800),
        /** Panels give little until the sun is this far past sunrise. */
        sunriseMarginMin: z.int().min(0).max(600).default(60),
      })
      .prefault({}),
    underused: z
      .strictObject({
        windowDays: z.int().min(1).max(90).default(7),
        /** Online less than this share of the window: "not used because offline" (availability). */
        minOnlineShare: share(0.5),
        /** The bottom share of a kabupaten's sites by client traffic per online hour is underused... */
        bottomShareOfKabupaten: share(0.1),
        /** ...when the kabupaten has at least this many sites with enough online time. */
        minKabupatenSites: z.int().min(2).max(100_000).default(10),
        groups: z
          .strictObject({
            village_office: groupThresholds.prefault({
              minClientMbPerOnlineHour: 20,
              minActiveShare: 0.1,
              minClients: 2,
            }),
            school: groupThresholds.prefault({ minClientMbPerOnlineHour: 50, minActiveShare: 0.15, minClients: 5 }),
            health_post: groupThresholds.prefault({
              minClientMbPerOnlineHour: 10,
              minActiveShare: 0.05,
              minClients: 1,
            }),
            other: groupThresholds.prefault({ minClientMbPerOnlineHour: 10, minActiveShare: 0.05, minClients: 1 }),
          })
          .prefault({}),
      })
      .prefault({}),
    dataProblems: z
      .strictObject({
        /** A boot whose clock has stayed unsynchronised this long (by its uptime). */
        clockUnsyncedAfterSec: seconds(60, 7 * 86_400, 1800),
        /** Yesterday's completeness (received / expected samples) under this. */
        minCompleteness: share(0.9),
      })
      .prefault({}),
    noc: z
      .strictObject({
        /** After the collector starts, silence is counted from the start, and this long passes first. */
        startupGraceSec: seconds(0, 86_400, 900),
        /** After the collector's broker connection comes back, sites have this long to reconnect. */
        reconnectGraceSec: seconds(0, 86_400, 600),
        /** Wills (or silences) from at least `minSites` and `minShare` of the online sites within... */
        stormWindowSec: seconds(1, 3600, 60),
        stormMinSites: z.int().min(2).max(1_000_000).default(20),
        stormMinShare: share(0.3),
        /** A storm holds its sites at most this long; those still silent are then judged on their own. */
        stormMaxHoldSec: seconds(60, 7 * 86_400, 3600),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        tolerance: z
          .strictObject({
            offline: tolerance(10, 60),
            degraded: tolerance(600, 900),
            power_at_risk: tolerance(300, 1800),
            underused: tolerance(0, 0),
            data_problem: tolerance(600, 600),
          })
          .prefault({}),
        flap: z
          .strictObject({
            /** This many changes of a condition within `windowSec` make it flapping... */
            changes: z.int().min(2).max(1000).default(4),
            windowSec: seconds(60, 86_400, 3600),
            /** ...until it has not changed for this long. */
            quietSec: seconds(60, 86_400, 1800),
          })
          .prefault({}),
        grouping: z
          .strictObject({
            /** Offline onsets this close together in one area form one incident... */
            windowSec: seconds(0, 86_400, 900),
            /** ...of at least this many sites of a kecamatan, or of a kabupaten. */
            kecamatanMinSites: z.int().min(2).max(100_000).default(3),
            kabupatenMinSites: z.int().min(2).max(100_000).default(6),
            /** A site's offline alert waits this long for its area's other sites before it is sent alone. */
            waitSec: seconds(0, 3600, 10),
            /** Sites joining an open incident are notified together, at most this often. */
            updateSec: seconds(0, 86_400, 300),
          })
          .prefault({}),
        /** Firing alerts nobody acknowledged are sent again this often (0: never). */
        renotifySec: seconds(0, 30 * 86_400, 0),
        /** Sites not in the registry: `track` keeps their state, `alert` also notifies. */
        unregisteredSites: z.enum(['track', 'alert']).default('track'),
        /** Language of `summary`; the webhook carries both. */
        language: z.enum(['en', 'id']).default('id'),
        /** Times in texts are local to the NOC (WIB, WITA or WIT). */
        timeZone: z.enum(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'UTC']).default('Asia/Makassar'),
      })
      .prefault({}),
    delivery: z
      .strictObject({
        /** Retained per-site alert state on `<topicRoot>/alert/<site>/<kind>`. */
        mqtt: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
        webhook: z
          .strictObject({
            /** A receiver of signed JSON notifications (docs/health.md, "Webhook"). */
            url: z.url({ protocol: /^https?$/ }).optional(),
            /** HMAC-SHA256 key; required with a URL. */
            secret: z.string().min(16, 'use a secret of at least 16 characters').optional(),
            timeoutMs: z.int().min(100).max(120_000).default(10_000),
          })
          .refine((w) => w.url === undefined || w.secret !== undefined, {
            message: 'a webhook needs a secret to sign with',
            path: ['secret'],
          })
          .prefault({}),
        alertmanager: z
          .strictObject({
            /** Alertmanager's base URL, e.g. http://127.0.0.1:9093 (alerts go to /api/v2/alerts). */
            url: z.url({ protocol: /^https?$/ }).optional(),
            timeoutMs: z.int().min(100).max(120_000).default(10_000),
            /** Firing alerts are posted again this often: keep it under Alertmanager's resolve_timeout (5 min). */
            repostSec: seconds(10, 3600, 60),
          })
          .prefault({}),
        /** Failed deliveries wait between `retryMinMs` and `retryMaxMs`, doubling, with jitter... */
        retryMinMs: z.int().min(100).max(3_600_000).default(5000),
        retryMaxMs: z.int().min(1000).max(86_400_000).default(600_000),
        /** ...and are given up after this long. */
        maxAgeSec: seconds(60, 30 * 86_400, 86_400),
        /** Notifications taken from the outbox per sink per round. */
        batch: z.int().min(1).max(10_000).default(100),
      })
      .prefault({}),
    /** How long health data is kept; a guarded job deletes what is older. */
    retention: z
      .strictObject({
        /**
         * The history of states and causes (and ended incidents, silences and windows). Reports read
         * downtime by cause from it: up to 366 days and 35 days before them, hence the default.
         */
        historyDays: z.int().min(1).max(3650).default(401),
        /** Notifications given up (or left waiting for a sink no longer configured), from their creation. */
        outboxDays: z.int().min(1).max(3650).default(30),
        pruneIntervalSec: seconds(60, 86_400, 3600),
      })
      .prefault({}),
  })
  // A notification still being retried must not be deleted under the dispatcher.
  .refine((c) => c.retention.outboxDays * 86_400 > c.delivery.maxAgeSec, {
    message: 'keep outbox items longer than delivery.maxAgeSec, for which they are retried',
    path: ['retention', 'outboxDays'],
  });
export type HealthConfig = z.infer<typeof healthConfigSchema>;

/** The defaults, for tests and tools. */
export function defaultHealthConfig(): HealthConfig {
  return healthConfigSchema.parse({});
}
