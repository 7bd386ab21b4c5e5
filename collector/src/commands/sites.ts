import type { SiteSummary } from '../store/store.js';

/** `pantau-collector sites`: one line per site, for a person at a terminal. */
export function formatSitesTable(sites: readonly SiteSummary[], nowMs: number): string {
  if (sites.length === 0) return 'No site has reported yet.\n';
  const header = ['SITE', 'LAST SEEN', 'STATUS', 'SAMPLES', 'LAST SEQ', 'LATENCY (avg ms, loss %)', 'UPTIME'];
  const rows = sites.map((site) => [
    site.siteId,
    `${new Date(site.lastSeenMs).toISOString()} (${ago(nowMs - site.lastSeenMs)})`,
    site.status === null ? '-' : `${site.status.state} (${site.status.reason})`,
    String(site.samples),
    site.lastSample === null ? '-' : String(site.lastSample.seq),
    latencyText(site),
    site.lastSample?.probes.uptime?.systemUptimeMs == null
      ? '-'
      : duration(site.lastSample.probes.uptime.systemUptimeMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function latencyText(site: SiteSummary): string {
  const latency = site.lastSample?.probes.latency;
  if (latency === undefined) return '-';
  if (latency.error !== null) return `error: ${latency.error}`;
  return latency.targets
    .map((t) =>
      t.error !== null
        ? `${t.role} ${t.host} error: ${t.error}`
        : `${t.role} ${t.host} ${t.rttAvgMs} ms, ${t.lossPct} %`,
    )
    .join('; ');
}

function ago(ms: number): string {
  return ms < 0 ? 'just now' : `${duration(ms)} ago`;
}

function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}
