import { join } from 'node:path';
import { formatSitesTable, openSqliteStore, type SampleFacts, type SiteSummary } from '@pantau/collector';
import { MS_PER_HOUR } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY0, insert, MIN, seqBatch, status } from '../../contract/store-fixtures.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const figures: SampleFacts = {
  rxBytes: 5000,
  txBytes: 1000,
  clientRxBytes: 4000,
  clientTxBytes: 800,
  clients: 7,
  batteryVolts: 12.714,
  solarWatts: null,
  underVoltageNow: true,
  underVoltageSinceBoot: true,
  rttGatewayMs: 1.5,
  rttTerminalMs: null,
  rttInternetMs: null,
  rttNocMs: null,
  lossGatewayPct: 0,
  lossTerminalPct: null,
  lossInternetPct: 100,
  lossNocPct: null,
  linkUp: false,
  previousRunClean: true,
  systemUptimeMs: 3 * MS_PER_HOUR,
  errors: 'latency.internet:no_reply',
  throughputDownBitsPerSec: null,
  throughputUpBitsPerSec: null,
};

describe('sites table', () => {
  it('says so when no site has reported', () => {
    expect(formatSitesTable([], 0)).toBe('No site has reported yet.\n');
  });

  it("shows the last sample's time, status, latency and loss per role, link, battery, clients, uptime, errors", () => {
    const site: SiteSummary = {
      siteId: 'kutim-01',
      lastSeenMs: Date.parse('2026-11-23T03:00:00Z'),
      samples: 12,
      lastSample: {
        seq: 41,
        bootId: 'b',
        wallMs: 0,
        clockSynced: false,
        uptimeMs: 0,
        effectiveMs: Date.parse('2026-11-23T01:00:00Z'),
        timeQuality: 'corrected',
        receivedMs: Date.parse('2026-11-23T01:01:00Z'),
        figures,
      },
      status: { state: 'offline', reason: 'connection_lost', epoch: 2, agentVersion: '0.1.0', receivedMs: 0 },
    };
    const text = formatSitesTable([site], Date.parse('2026-11-23T01:05:00Z'));
    expect(text).toContain('2026-11-23T01:00:00.000Z (5 min ago, corrected)');
    expect(text).toContain('offline (connection_lost)');
    expect(text).toContain('gateway 1.5 ms, 0 %; internet -, 100 %');
    expect(text).toContain('down');
    expect(text).toContain('12.71 V under-voltage');
    expect(text).toContain('3 h');
    expect(text).toContain('latency.internet:no_reply');
  });

  it('shows when the last sample was taken, not when a later will arrived', async () => {
    const store = openSqliteStore(join(dirs.make('sites'), 'db.sqlite'));
    await insert(store, seqBatch('s1', [4]), DAY0 + 5 * MIN);
    await store.applyStatus(status('s1', 1, 'connection_lost'), DAY0 + 3 * MS_PER_HOUR);
    const text = formatSitesTable(await store.listSites(), DAY0 + 3 * MS_PER_HOUR);
    expect(text).toContain(`${new Date(DAY0 + 4 * MIN).toISOString()} (2 h ago)`);
    expect(text).not.toContain(new Date(DAY0 + 3 * MS_PER_HOUR).toISOString());
    await store.close();
  });
});
