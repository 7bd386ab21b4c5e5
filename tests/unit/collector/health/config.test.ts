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
