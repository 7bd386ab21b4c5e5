import { planFleet, registryCsv, registryYaml } from '@pantau/bench/fleet';
import { describe, expect, it } from 'vitest';
import { parseSiteFile } from '../../../collector/src/registry/site-import.js';

describe("the simulator's registry file", () => {
  const plans = planFleet(60, 4);

  it("is a CSV the collector's registry import accepts, every site as planned", () => {
    const parsed = parseSiteFile(registryCsv(plans), 'csv');
    expect(parsed.errors ?? []).toEqual([]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toHaveLength(60);
    const first = parsed.value[0]?.record;
    const plan = plans[0];
    expect(first).toMatchObject({
      siteId: plan?.siteId,
      name: plan?.name,
      kabupatenCode: plan?.kabupatenCode,
      kecamatan: plan?.kecamatan,
      desaCode: plan?.desaCode,
      group: plan?.group,
      latitude: plan?.latitude,
      longitude: plan?.longitude,
      lowVoltageDisconnectVolts: plan?.lowVoltageDisconnectVolts,
    });
  });

  it('and the same as YAML', () => {
    const parsed = parseSiteFile(registryYaml(plans), 'yaml');
    expect(parsed.errors ?? []).toEqual([]);
    expect(parsed.ok && parsed.value.map((row) => row.record.siteId)).toEqual(plans.map((p) => p.siteId));
  });
});
