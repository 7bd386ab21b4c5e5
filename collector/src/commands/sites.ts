import type { SiteRecord } from '../registry/site-record.js';
import type { RegisteredSite } from '../registry/site-registry.js';
import type { LatestSample, SiteSummary } from '../store/records.js';
import { latencyRoles, type SampleFacts } from '../store/sample-facts.js';
import { table } from './table.js';

/**
 * `pantau-collector sites`: one line per site, for a person at a terminal. With the registry, a
 * site seen on the wire but not registered says so, and a registered one never heard is listed too.
 */
export function formatSitesTable(
  sites: readonly SiteSummary[],
  nowMs: number,
  registry?: ReadonlyMap<string, RegisteredSite>,
): string {
  const heard = new Set(sites.map((s) => s.siteId));
  const silent = [...(registry?.values() ?? [])].filter((r) => !heard.has(r.siteId));
  if (sites.length === 0 && silent.length === 0) return 'No site has reported yet.\n';
  const registered = (siteId: string) => registryLabel(registry?.get(siteId));
  const header = [
    'SITE',
    ...(registry === undefined ? [] : ['REGISTERED']),
    'LAST SAMPLE',
    'STATUS',
    'SAMPLES',
    'LAST SEQ',
    'LATENCY (avg ms, loss %)',
    'LINK',
    'BATTERY',
    'CLIENTS',
    'UPTIME',
    'ERRORS',
  ];
  const rows = sites.map((site) => {
    const last = site.lastSample;
    const f = last?.figures;
    return [
      site.siteId,
      ...(registry === undefined ? [] : [registered(site.siteId)]),
      last === null ? '-' : sampleTime(last, nowMs),
      site.status === null ? '-' : `${site.status.state} (${site.status.reason})`,
      String(site.samples),
      last === null ? '-' : String(last.seq),
      f === undefined ? '-' : latencyText(f),
      f?.linkUp == null ? '-' : f.linkUp ? 'up' : 'down',
      f === undefined ? '-' : batteryText(f),
      f?.clients == null ? '-' : String(f.clients),
      f?.systemUptimeMs == null ? '-' : duration(f.systemUptimeMs),
      f?.errors ?? '-',
    ];
  });
  for (const r of silent) {
    rows.push([r.siteId, registered(r.siteId), 'never reported', ...header.slice(3).map(() => '-')]);
  }
  rows.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  return table(header, rows);
}

/**
 * The registry's name for a site, `name (kecamatan, kabupaten)`, or `unregistered`; a
 * decommissioned site says since when (UTC day).
 */
export function registryLabel(record: (SiteRecord & { decommissionedMs?: number | null }) | undefined): string {
  if (record === undefined) return 'unregistered';
  const label = `${record.name} (${record.kecamatan}, ${record.kabupaten})`;
  const decommissionedMs = record.decommissionedMs ?? null;
  if (decommissionedMs === null) return label;
  return `${label}, decommissioned ${new Date(decommissionedMs).toISOString().slice(0, 10)}`;
}

/** When the latest sample was taken (the collector's time for it), and how sure that time is. */
function sampleTime(last: LatestSample, nowMs: number): string {
  const quality = last.timeQuality === 'measured' ? '' : `, ${last.timeQuality}`;
  return `${new Date(last.effectiveMs).toISOString()} (${ago(nowMs - last.effectiveMs)}${quality})`;
}

const RTT: Record<(typeof latencyRoles)[number], [keyof SampleFacts, keyof SampleFacts]> = {
  gateway: ['rttGatewayMs', 'lossGatewayPct'],
  terminal: ['rttTerminalMs', 'lossTerminalPct'],
  internet: ['rttInternetMs', 'lossInternetPct'],
  noc: ['rttNocMs', 'lossNocPct'],
};

function latencyText(f: SampleFacts): string {
  const parts: string[] = [];
  for (const role of latencyRoles) {
    const [rttKey, lossKey] = RTT[role];
    const rtt = f[rttKey] as number | null;
    const loss = f[lossKey] as number | null;
    if (rtt === null && loss === null) continue;
    parts.push(`${role} ${rtt === null ? '-' : `${round(rtt)} ms`}, ${loss === null ? '-' : `${round(loss)} %`}`);
  }
  return parts.length === 0 ? '-' : parts.join('; ');
}

function batteryText(f: SampleFacts): string {
  const volts = f.batteryVolts === null ? '' : `${round(f.batteryVolts)} V`;
  const flag =
    f.underVoltageNow === true ? 'under-voltage' : f.underVoltageSinceBoot === true ? 'was under-voltage' : '';
  return [volts, flag].filter((s) => s !== '').join(' ') || '-';
}

const round = (n: number) => Math.round(n * 100) / 100;

function ago(ms: number): string {
  return ms < 0 ? 'just now' : `${duration(ms)} ago`;
}

export function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}
