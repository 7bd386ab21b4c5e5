import { formatStatsTable, parseCollectorArgs } from '@pantau/collector';
import { describe, expect, it } from 'vitest';

describe('pantau-collector stats', () => {
  it('parses its options', () => {
    expect(parseCollectorArgs(['stats', '--json', '--db', 'x.sqlite'], {})).toEqual({
      kind: 'stats',
      configPath: undefined,
      dbPath: 'x.sqlite',
      json: true,
    });
  });

  it('prints every counter, with rejects by reason and implausible figures by field under their totals', () => {
    const text = formatStatsTable({
      sites: 2,
      samples: 1440,
      duplicates: 12,
      rejectsByReason: { invalid_json: 2, site_mismatch: 1 },
      quarantined: 3,
      implausibleByField: { 'power.batteryVolts': 1 },
      resendRequests: 4,
      recoveredSamples: 30,
      goneSeqs: 0,
      staleStatuses: 1,
    });
    expect(text.split('\n').map((l) => l.replace(/ +/g, ' '))).toEqual([
      'sites 2',
      'samples stored 1440',
      'duplicates (samples received again) 12',
      'rejected messages 3',
      ' invalid_json 2',
      ' site_mismatch 1',
      ' kept in the quarantine now 3',
      'implausible figures (stored as null) 1',
      ' power.batteryVolts 1',
      'resend requests sent 4',
      'samples recovered by resend 30',
      'sequence numbers gone at the site 0',
      'stale statuses (late wills) 1',
      '',
    ]);
  });
});
