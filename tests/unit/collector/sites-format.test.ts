import { formatSitesTable, type SiteSummary } from '@pantau/collector';
import { uptimeSectionSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';

describe('sites table', () => {
  it('says so when no site has reported', () => {
    expect(formatSitesTable([], 0)).toBe('No site has reported yet.\n');
  });

  it('shows last seen, status, latency per target and uptime', () => {
    const site: SiteSummary = {
      siteId: 'kutim-01',
      lastSeenMs: Date.parse('2026-11-23T01:00:00Z'),
      samples: 12,
      lastSample: {
        seq: 41,
        bootId: 'b',
        wallMs: 0,
        clockSynced: true,
        uptimeMs: 0,
        probes: {
          latency: {
            error: null,
            targets: [
              {
                role: 'gateway',
                host: '10.0.0.1',
                method: 'icmp',
                sent: 3,
                received: 3,
                lossPct: 0,
                rttMinMs: 1,
                rttAvgMs: 1.5,
                rttMaxMs: 2,
                jitterMs: 0.5,
                error: null,
              },
              {
                role: 'internet',
                host: 'a',
                method: 'icmp',
                sent: null,
                received: null,
                lossPct: null,
                rttMinMs: null,
                rttAvgMs: null,
                rttMaxMs: null,
                jitterMs: null,
                error: 'ping_missing',
              },
            ],
          },
          uptime: uptimeSectionSchema.parse({ systemUptimeMs: 3 * 3_600_000, agentUptimeMs: 1 }),
        },
      },
      status: { state: 'online', reason: 'connected', epoch: 2, agentVersion: '0.1.0', receivedMs: 0 },
    };
    const text = formatSitesTable([site], Date.parse('2026-11-23T01:05:00Z'));
    expect(text).toContain('2026-11-23T01:00:00.000Z (5 min ago)');
    expect(text).toContain('online (connected)');
    expect(text).toContain('gateway 10.0.0.1 1.5 ms, 0 %; internet a error: ping_missing');
    expect(text).toContain('3 h');
  });
});
