import { defaultHealthConfig, healthConfigSchema } from '@pantau/collector';
import { describe, expect, it } from 'vitest';

describe('health config', () => {
  it('has defaults for everything', () => {
    const config = defaultHealthConfig();
    expect(config.alerts.tolerance.offline).toEqual({ fireAfterSec: 10, resolveAfterSec: 60 });
    // The detection time of a silent outage is built from these (docs/health.md, "How it is found").
    expect([config.evaluateIntervalSec, config.offline.willSettleSec, config.alerts.grouping.waitSec]).toEqual([
      5, 5, 10,
    ]);
    expect(config.delivery.alertmanager.repostSec).toBe(60);
    expect(config.underused.groups.school.minClientMbPerOnlineHour).toBe(50);
    // Reports read up to 366 days of history and 35 days before them (docs/reports.md).
    expect(config.retention).toEqual({ historyDays: 401, outboxDays: 30, pruneIntervalSec: 3600 });
  });

  it('refuses a retention that would delete outbox items still being retried, or an unknown key', () => {
    const issues = (input: unknown) =>
      healthConfigSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ retention: { outboxDays: 2 }, delivery: { maxAgeSec: 3 * 86_400 } })).toEqual([
      'retention.outboxDays: keep outbox items longer than delivery.maxAgeSec, for which they are retried',
    ]);
    expect(issues({ retention: { outboxDays: 4 }, delivery: { maxAgeSec: 3 * 86_400 } })).toBeUndefined();
    expect(issues({ retention: { historyDays: 0 } })?.[0]).toMatch(/^retention.historyDays: /);
    expect(issues({ retention: { transitionDays: 400 } })?.[0]).toMatch(/transitionDays/);
  });

  it('names the field and the problem: a webhook without a secret, a URL that is not http', () => {
    const issues = (input: unknown) =>
      healthConfigSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ delivery: { webhook: { url: 'https://noc.example/hook' } } })).toEqual([
      'delivery.webhook.secret: a webhook needs a secret to sign with',
    ]);
    expect(issues({ delivery: { webhook: { url: 'ftp://noc.example', secret: '0123456789abcdef' } } })).toEqual([
      'delivery.webhook.url: Invalid URL',
    ]);
    expect(issues({ delivery: { alertmanager: { repostSec: 5 } } })?.[0]).toMatch(/^delivery.alertmanager.repostSec: /);
  });
});
