import {
  alertSchema,
  resendReplySchema,
  resendRequestSchema,
  sampleSchema,
  siteIdSchema,
  siteStatusSchema,
  telemetryBatchSchema,
} from '@pantau/shared';
import { describe, expect, it } from 'vitest';

const sample = {
  seq: 7,
  bootId: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f',
  wallMs: 1_795_392_000_000,
  clockSynced: true,
  uptimeMs: 60_000,
};

describe('site id', () => {
  it.each(['kutim-sangatta-01', 'paser.long-ikis_2', '0'])('accepts %s', (id) => {
    expect(siteIdSchema.safeParse(id).success).toBe(true);
  });
  it.each(['', 'Kutim', 'a/b', 'a+b', 'a#', '-lead', 'x'.repeat(65)])('rejects %j', (id) => {
    expect(siteIdSchema.safeParse(id).success).toBe(false);
  });
});

describe('sample', () => {
  it('fills values left out with null, so "not measured" reads the same either way', () => {
    const parsed = sampleSchema.parse({ ...sample, probes: { latency: { targets: [{ role: 'noc', host: 'h' }] } } });
    expect(parsed.probes.latency?.error).toBeNull();
    expect(parsed.probes.latency?.targets[0]).toMatchObject({
      method: 'icmp',
      sent: null,
      rttAvgMs: null,
      error: null,
    });
  });

  it('keeps a measured zero distinct from null', () => {
    const parsed = sampleSchema.parse({ ...sample, probes: { uptime: { systemUptimeMs: 0, agentUptimeMs: null } } });
    expect(parsed.probes.uptime).toMatchObject({ systemUptimeMs: 0, agentUptimeMs: null, linkUp: null, error: null });
  });

  it('allows a 1970 wall clock (a Pi before NTP) but not a negative one', () => {
    expect(sampleSchema.safeParse({ ...sample, wallMs: 0, clockSynced: false }).success).toBe(true);
    expect(sampleSchema.safeParse({ ...sample, wallMs: -1 }).success).toBe(false);
  });

  it.each([
    ['seq', -1],
    ['seq', 1.5],
    ['uptimeMs', Number.NaN],
    ['wallMs', Number.POSITIVE_INFINITY],
    ['bootId', ''],
    ['clockSynced', 'yes'],
  ])('rejects %s = %j', (field, value) => {
    expect(sampleSchema.safeParse({ ...sample, [field]: value }).success).toBe(false);
  });

  it('rejects a loss percentage over 100 and an error code that is not snake_case', () => {
    const target = { role: 'noc', host: 'h' };
    expect(
      sampleSchema.safeParse({ ...sample, probes: { latency: { targets: [{ ...target, lossPct: 101 }] } } }).success,
    ).toBe(false);
    expect(
      sampleSchema.safeParse({ ...sample, probes: { latency: { targets: [{ ...target, error: 'Bad Code' }] } } })
        .success,
    ).toBe(false);
  });
});

describe('telemetry batch', () => {
  const batch = { v: 1, siteId: 's1', agentVersion: '0.1.0', sentAtMs: 1_795_392_000_000, samples: [sample] };

  it('accepts a batch and requires at least one sample', () => {
    expect(telemetryBatchSchema.safeParse(batch).success).toBe(true);
    expect(telemetryBatchSchema.safeParse({ ...batch, samples: [] }).success).toBe(false);
  });

  it('caps a batch at a day of 1-minute samples', () => {
    const samples = Array.from({ length: 1441 }, (_, i) => ({ ...sample, seq: i }));
    expect(telemetryBatchSchema.safeParse({ ...batch, samples }).success).toBe(false);
  });

  it('requires version 1', () => {
    expect(telemetryBatchSchema.safeParse({ ...batch, v: 2 }).success).toBe(false);
    expect(telemetryBatchSchema.safeParse({ ...batch, v: undefined }).success).toBe(false);
  });
});

describe('status, alert, resend', () => {
  const status = {
    v: 1,
    siteId: 's1',
    state: 'offline',
    reason: 'connection_lost',
    epoch: 3,
    atMs: 0,
    bootId: 'b',
    agentVersion: '0.1.0',
  };

  it('status: optional counters default to null; unknown reasons are refused', () => {
    expect(siteStatusSchema.parse(status)).toMatchObject({ configHash: null, spoolDepth: null, droppedSamples: null });
    expect(siteStatusSchema.safeParse({ ...status, reason: 'rebooted' }).success).toBe(false);
  });

  it('alert: a firing alert without an end', () => {
    const alert = alertSchema.parse({
      v: 1,
      siteId: 's1',
      kind: 'offline',
      state: 'firing',
      severity: 'critical',
      summary: 's1 offline',
      startsAtMs: 1,
      atMs: 2,
    });
    expect(alert.endsAtMs).toBeNull();
    expect(alert.cause).toBeNull();
  });

  it('resend request: the range must be ordered and bounded', () => {
    const request = { v: 1, requestId: 'r1', siteId: 's1', fromSeq: 10, toSeq: 20, requestedAtMs: 1 };
    expect(resendRequestSchema.safeParse(request).success).toBe(true);
    expect(resendRequestSchema.safeParse({ ...request, toSeq: 9 }).success).toBe(false);
    expect(resendRequestSchema.safeParse({ ...request, toSeq: 10 + 100_000 }).success).toBe(false);
  });

  it('resend reply: gone ranges default to none', () => {
    expect(resendReplySchema.parse({ v: 1, requestId: 'r1', siteId: 's1', resentSamples: 0 }).gone).toEqual([]);
  });
});
