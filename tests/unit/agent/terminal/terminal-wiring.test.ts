import { agentConfigSchema } from '@pantau/agent';
import { decodePayload, type SampleInput, siteStatusSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { encodeSiteStatus } from '../../../../agent/src/delivery/mqtt/site-status.js';
import { cursorFromSamples } from '../../../../agent/src/probes/terminal/cursor-seed.js';

const sample = (seq: number, probes: SampleInput['probes'] = {}): SampleInput => ({
  seq,
  bootId: 'b1',
  wallMs: 1_795_392_000_000 + seq * 60_000,
  clockSynced: true,
  uptimeMs: seq * 60_000,
  probes,
});

describe('where the dish history resumes after a restart', () => {
  it("takes the newest stored sample that read the history; a failed cycle's sample has no cursor", () => {
    const stored = [
      sample(40, { terminal: { historyCounter: 5000, dishBootCount: 174, lastOutageStartMs: 1_795_391_000_000 } }),
      sample(41, { terminal: { historyCounter: 5060, dishBootCount: 174, lastOutageStartMs: null } }),
      sample(42, { terminal: { error: 'terminal_timeout' } }),
      sample(43, {}),
    ];
    expect(cursorFromSamples(stored)).toEqual({
      counter: 5060,
      bootCount: 174,
      lastOutageStartMs: null,
      monotonicMs: null,
      wallMs: 1_795_392_000_000 + 41 * 60_000,
      clockSynced: true,
    });
    expect(cursorFromSamples([sample(1, {})])).toBeNull();
    expect(cursorFromSamples([])).toBeNull();
  });
});

describe('terminal and host config', () => {
  it('turns the terminal probe on with a dish, and needs it for usage from the dish', () => {
    const on = agentConfigSchema.parse({ siteId: 's1', probes: { terminal: { kind: 'starlink' } } });
    expect(on.probes.terminal).toMatchObject({ enabled: true, host: '192.168.100.1', port: 9200, timeoutMs: 2000 });
    expect(agentConfigSchema.parse({ siteId: 's1' }).probes.terminal).toEqual({ kind: 'none', enabled: false });
    expect(agentConfigSchema.parse({ siteId: 's1' }).probes.host).toEqual({ enabled: true });
    const noDish = agentConfigSchema.safeParse({ siteId: 's1', probes: { usage: { source: 'starlink' } } });
    expect(noDish.success).toBe(false);
    expect(JSON.stringify(noDish.error?.issues)).toContain('usage');
  });

  it('refuses two different dishes for the uptime and terminal probes', () => {
    const two = agentConfigSchema.safeParse({
      siteId: 's1',
      probes: {
        terminal: { kind: 'starlink' },
        uptime: { terminal: { kind: 'starlink', host: '192.168.100.2' } },
      },
    });
    expect(two.success).toBe(false);
    const same = agentConfigSchema.safeParse({
      siteId: 's1',
      probes: { terminal: { kind: 'starlink' }, uptime: { terminal: { kind: 'starlink' } } },
    });
    expect(same.success).toBe(true);
  });
});

describe('inventory in the site status', () => {
  it('travels in the status, and a status from an older agent without it still validates', () => {
    const inventory = {
      model: 'Raspberry Pi 4 Model B Rev 1.4',
      revision: 'c03114',
      serial: null,
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.6.31',
      node: 'v20.19.0',
      agentVersion: '0.1.0',
      dataCardBytes: 31_914_983_424,
      takenAtMs: 1_795_392_000_000,
    };
    const payload = encodeSiteStatus(
      { siteId: 'kutim-01', bootId: 'b1', agentVersion: '0.1.0', configHash: 'abc' },
      { depth: 0, dropped: 0, fault: null },
      { state: 'online', reason: 'connected', epoch: 3, atMs: 1_795_392_000_000 },
      inventory,
    );
    const status = decodePayload('status', payload);
    expect(status.ok && status.value).toMatchObject({ inventory });
    const old = siteStatusSchema.parse({
      v: 1,
      siteId: 'kutim-01',
      state: 'online',
      reason: 'connected',
      epoch: 3,
      atMs: 0,
      bootId: 'b1',
      agentVersion: '0.0.9',
    });
    expect(old.inventory).toBeNull();
  });
});
