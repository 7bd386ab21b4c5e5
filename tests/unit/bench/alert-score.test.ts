import { score } from '@pantau/bench/alert-score';
import type { Notification, Transition } from '@pantau/collector';
import { describe, expect, it } from 'vitest';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0);

function offlineFiring(siteId: string, atMs: number): Notification {
  return {
    id: `${siteId}/${atMs}`,
    key: `${siteId}/offline`,
    createdMs: atMs,
    event: 'firing',
    alert: { siteId, kind: 'offline' } as Notification['alert'],
    incident: null,
    texts: null,
    previousCause: null,
  };
}

function line(siteId: string, event: Transition['event'], atMs: number, cause: string): Transition {
  return {
    siteId,
    kind: 'offline',
    event,
    atMs,
    sinceMs: atMs,
    cause,
    detail: cause,
    previousCause: null,
    previousDetail: null,
    episodeId: null,
  };
}

function areaUpdate(atMs: number, sites: { siteId: string; sinceMs: number }[]): Notification {
  return {
    id: `area/${atMs}`,
    key: 'area/64.08',
    createdMs: atMs,
    event: 'update',
    alert: null,
    incident: {
      id: 'area/64.08',
      kind: 'area_offline',
      sites: sites.map((s) => ({ ...s, recoveredAtMs: null })),
    } as unknown as Notification['incident'],
    texts: null,
    previousCause: null,
  };
}

describe("bench:alerts' scoring of alert quality against the injected truth", () => {
  it('counts an alert in a real outage as right, one without as wrong, one after a NOC restart as the NOC', () => {
    const outages = [
      { siteId: 'a', startMs: T0, endMs: T0 + 60 * MINUTE, cause: 'link' as const, origin: 'uplink' as const },
      { siteId: 'b', startMs: T0, endMs: T0 + 30 * MINUTE, cause: 'power' as const, origin: 'power_cut' as const },
    ];
    const noc = [{ kind: 'collector_restart' as const, atMs: T0 + 200 * MINUTE, downMs: 5 * MINUTE }];
    const notifications = [
      offlineFiring('a', T0 + 9 * MINUTE),
      offlineFiring('c', T0 + 100 * MINUTE),
      offlineFiring('c', T0 + 210 * MINUTE),
    ];
    const transitions = [
      line('a', 'began', T0 + 9 * MINUTE, 'unknown'),
      line('a', 'ended', T0 + 60 * MINUTE, 'unknown'),
      line('a', 'cause_revised', T0 + 61 * MINUTE, 'link'),
    ];
    const s = score(outages, notifications, transitions, noc);
    expect([s.alerts, s.truePositives, s.falsePositives, s.nocPerSiteAlerts]).toEqual([3, 1, 2, 1]);
    expect(s.precision).toBeCloseTo(1 / 3);
    // b's half-hour power cut got no alert: missed.
    expect([s.longOutages, s.longDetected, s.missed.map((o) => o.siteId)]).toEqual([2, 1, ['b']]);
    // a's outage: first view unknown, revised to link once its backfill arrived.
    expect([s.causeJudged, s.causeCorrect, s.firstCauseCorrect]).toEqual([1, 1, 0]);
  });

  it('counts a site listed again in an open area incident for a new outage as an alert of that outage', () => {
    const outages = [
      { siteId: 'a', startMs: T0, endMs: T0 + 5 * MINUTE, cause: 'link' as const, origin: 'flap' as const },
      {
        siteId: 'a',
        startMs: T0 + 60 * MINUTE,
        endMs: T0 + 200 * MINUTE,
        cause: 'power' as const,
        origin: 'power_cut' as const,
      },
    ];
    const first = { siteId: 'a', sinceMs: T0 };
    const notifications = [
      areaUpdate(T0 + 2 * MINUTE, [first]),
      areaUpdate(T0 + 70 * MINUTE, [first, { siteId: 'a', sinceMs: T0 + 59 * MINUTE }]),
    ];
    const s = score(outages, notifications, [], []);
    expect([s.alerts, s.truePositives, s.longDetected, s.longOutages]).toEqual([2, 2, 1, 1]);
  });
});
