import { DISH_OUTAGE_MIN_SEC, healthSamplesOf } from '@pantau/collector';
import { type ProbeSectionInput, telemetryBatchSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';

const T0 = Date.UTC(2026, 10, 23, 8);

/** What health reads of one sample with this terminal section (a Starlink dish's own view). */
function dishOutage(terminal: ProbeSectionInput<'terminal'> | undefined): string | null {
  const batch = telemetryBatchSchema.parse({
    v: 1,
    siteId: 'kutim-01',
    agentVersion: '0.1.0',
    sentAtMs: T0,
    samples: [
      {
        seq: 1,
        bootId: 'b1',
        wallMs: T0,
        clockSynced: true,
        uptimeMs: 3_600_000,
        probes: terminal === undefined ? {} : { terminal: { source: 'starlink', ...terminal } },
      },
    ],
  });
  return healthSamplesOf(batch, T0)[0]?.dishOutage ?? null;
}

describe("the dish's own outage, as health reads it", () => {
  it('is the outage cause the dish reports now, or one that took a good part of the time since the last sample', () => {
    expect(dishOutage({ state: 'connected' })).toBeNull();
    expect(dishOutage({ state: 'obstructed', outageCause: 'obstructed', outageDurationMs: 40_000 })).toBe('obstructed');
    expect(dishOutage({ state: 'searching' })).toBe('searching');
    // Ended since the previous sample: a blip of a few seconds is not lost service, half a minute is.
    expect(dishOutage({ state: 'connected', outageSecondsByCause: { obstructed: 4.5 } })).toBeNull();
    expect(
      dishOutage({ state: 'connected', outageSecondsByCause: { obstructed: 10, no_sats: DISH_OUTAGE_MIN_SEC } }),
    ).toBe('no_sats');
    expect(dishOutage(undefined)).toBeNull();
  });
});
