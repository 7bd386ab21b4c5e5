import { alertTopic, alertTopicFilter, parseTopic, siteTopic, siteTopicFilter, topicRootSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';

describe('topics', () => {
  it('builds every site topic under the root and parses it back', () => {
    for (const kind of ['telemetry', 'status', 'resend', 'resend-reply'] as const) {
      const topic = siteTopic('pantau/v1', 'kutim-01', kind);
      expect(topic).toBe(`pantau/v1/site/kutim-01/${kind}`);
      expect(parseTopic('pantau/v1', topic)).toEqual({ kind, siteId: 'kutim-01' });
    }
  });

  it('builds and parses alert topics', () => {
    const topic = alertTopic('prov/kaltim/pantau/v1', 'paser-02', 'power_at_risk');
    expect(topic).toBe('prov/kaltim/pantau/v1/alert/paser-02/power_at_risk');
    expect(parseTopic('prov/kaltim/pantau/v1', topic)).toEqual({
      kind: 'alert',
      siteId: 'paser-02',
      alertKind: 'power_at_risk',
    });
  });

  it('gives wildcard filters that match its own topics', () => {
    expect(siteTopicFilter('pantau/v1', 'telemetry')).toBe('pantau/v1/site/+/telemetry');
    expect(alertTopicFilter('pantau/v1')).toBe('pantau/v1/alert/#');
  });

  it.each([
    'pantau/v2/site/s1/telemetry',
    'pantau/v1/site/s1/telemetry/extra',
    'pantau/v1/site/S1/telemetry',
    'pantau/v1/site//telemetry',
    'pantau/v1/site/s1/unknown',
    'pantau/v1/alert/s1/sunburn',
    'pantau/v1',
    'other/topic',
  ])('returns null for %s', (topic) => {
    expect(parseTopic('pantau/v1', topic)).toBeNull();
  });

  it('accepts plain roots and refuses wildcards, empty levels and $SYS', () => {
    expect(topicRootSchema.safeParse('pantau/v1').success).toBe(true);
    for (const bad of ['pantau/+', 'pantau/#', 'pantau//v1', '/pantau', '$SYS/x', '']) {
      expect(topicRootSchema.safeParse(bad).success).toBe(false);
    }
  });
});
