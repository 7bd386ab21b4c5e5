import type { StoredCounters } from '../store/counters.js';

/** `pantau-collector stats`: the store's counters, for a person at a terminal. */
export function formatStatsTable(c: StoredCounters): string {
  const lines: [string, number][] = [
    ['sites', c.sites],
    ['samples stored', c.samples],
    ['duplicates (samples received again)', c.duplicates],
    ['rejected messages', sum(c.rejectsByReason)],
    ...perKey(c.rejectsByReason),
    ['  kept in the quarantine now', c.quarantined],
    ['implausible figures (stored as null)', sum(c.implausibleByField)],
    ...perKey(c.implausibleByField),
    ['resend requests sent', c.resendRequests],
    ['samples recovered by resend', c.recoveredSamples],
    ['sequence numbers gone at the site', c.goneSeqs],
    ['stale statuses (late wills)', c.staleStatuses],
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  return `${lines.map(([label, n]) => `${label.padEnd(width)}  ${n}`).join('\n')}\n`;
}

const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);

const perKey = (counts: Readonly<Record<string, number>>): [string, number][] =>
  Object.entries(counts).map(([key, n]) => [`  ${key}`, n]);
