import type { DayCompleteness } from '../store/records.js';

/** `pantau-collector completeness`: one line per UTC day. */
export function formatCompletenessTable(siteId: string, days: readonly DayCompleteness[]): string {
  if (days.length === 0) return `No roll-up for ${siteId} in that period yet.\n`;
  const rows = days.map((d) =>
    [
      new Date(d.dayMs).toISOString().slice(0, 10),
      String(d.received).padStart(8),
      String(d.expected).padStart(8),
      `${(d.completeness * 100).toFixed(1).padStart(6)} %`,
    ].join('  '),
  );
  return `${[`DAY (UTC)   RECEIVED  EXPECTED  COMPLETE`, ...rows].join('\n')}\n`;
}
