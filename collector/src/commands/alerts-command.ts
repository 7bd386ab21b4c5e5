import { randomBytes } from 'node:crypto';
import { type Maintenance, maintenanceSchema, type Silence, silenceSchema } from '../alerts/controls.js';
import type { ControlsStore, HealthStateStore } from '../health/ports.js';
import type { AlertsAction } from './health-args.js';
import { resolveWindow } from './health-args.js';
import type { CommandOutput } from './registry-commands.js';
import { table } from './table.js';

type Stores = HealthStateStore & ControlsStore;

const issues = (list: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  list.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('\n');
const iso = (ms: number) => new Date(ms).toISOString();
const scopeText = (s: Silence['scope']) =>
  s.siteId !== undefined
    ? `site ${s.siteId}`
    : s.kecamatanCode !== undefined
      ? `kecamatan ${s.kecamatanCode}`
      : `kabupaten ${s.kabupatenCode}`;

/** What `alerts --json` prints: alerts not resolved, open incidents, silences and windows not over. */
export async function alertsOverview(store: Stores, nowMs: number) {
  const snapshot = await store.load();
  const current = <T extends { endsMs: number }>(list: readonly T[]) => list.filter((c) => c.endsMs > nowMs);
  return {
    alerts: snapshot.alerts.filter((a) => a.phase !== 'resolved').sort((a, b) => a.key.localeCompare(b.key)),
    incidents: snapshot.openIncidents,
    silences: current(await store.silences()),
    maintenance: current(await store.maintenance()),
    pendingAcks: await store.pendingAcks(),
  };
}

function formatOverview(o: Awaited<ReturnType<typeof alertsOverview>>): string {
  const parts: string[] = [];
  parts.push(
    o.alerts.length === 0
      ? 'No alert is firing or pending.\n'
      : table(
          ['ALERT', 'PHASE', 'CAUSE', 'SINCE', 'ACK', 'INCIDENT'],
          o.alerts.map((a) => [
            a.key,
            a.flapping ? `${a.phase}, flapping` : a.phase,
            `${a.cause}${a.detail === '' ? '' : ` (${a.detail})`}${a.firstCause === null ? '' : `, first ${a.firstCause}`}`,
            iso(a.sinceMs),
            a.ackBy ?? (o.pendingAcks.some((p) => p.key === a.key) ? 'asked' : '-'),
            a.incidentId ?? '-',
          ]),
        ),
  );
  if (o.incidents.length > 0) {
    parts.push(
      `\nIncidents:\n${table(
        ['INCIDENT', 'KIND', 'AREA', 'CAUSE', 'SINCE', 'SITES'],
        o.incidents.map((i) => [
          i.id,
          i.kind,
          i.areaName ?? '-',
          i.cause,
          iso(i.startsAtMs),
          String(i.members.filter((m) => m.recoveredAtMs === null).length),
        ]),
      )}`,
    );
  }
  const controls = [
    ...o.silences.map((s) => [
      s.id,
      'silence',
      scopeText(s.scope),
      s.kinds.join(',') || 'all',
      iso(s.startsMs),
      iso(s.endsMs),
      s.by,
    ]),
    ...o.maintenance.map((m) => [m.id, 'maintenance', scopeText(m.scope), 'all', iso(m.startsMs), iso(m.endsMs), m.by]),
  ];
  if (controls.length > 0) {
    parts.push(
      `\nSilences and maintenance:\n${table(['ID', 'TYPE', 'SCOPE', 'KINDS', 'FROM', 'UNTIL', 'BY'], controls)}`,
    );
  }
  return parts.join('');
}

/** `pantau-collector alerts ...`: the store is the channel, so a running collector applies it at its next sync. */
export async function runAlertsCommand(
  store: Stores,
  action: AlertsAction,
  json: boolean,
  nowMs: number,
): Promise<CommandOutput> {
  const done = (out: string) => ({ code: 0, out, err: '' });
  const refused = (err: string) => ({ code: 1, out: '', err: `${err}\n` });
  switch (action.type) {
    case 'list': {
      const overview = await alertsOverview(store, nowMs);
      return done(json ? `${JSON.stringify(overview, null, 2)}\n` : formatOverview(overview));
    }
    case 'ack': {
      const { alerts } = await store.load();
      const alert = alerts.find((a) => a.key === action.key);
      if (alert === undefined || alert.phase === 'resolved') {
        return refused(`no firing or pending alert ${action.key}; \`pantau-collector alerts\` lists them`);
      }
      await store.requestAck({ key: action.key, by: action.by, note: action.note, requestedMs: nowMs });
      return done(`${action.key}: acknowledged by ${action.by} (the running collector records it at its next sync)\n`);
    }
    case 'end': {
      const ended = await store.end(action.id, nowMs);
      return ended ? done(`${action.id}: ended\n`) : refused(`no silence or maintenance window ${action.id}`);
    }
    case 'silence':
    case 'maintenance': {
      const window = resolveWindow(action.window, nowMs);
      if (typeof window === 'string') return refused(window);
      const id = `${action.type === 'silence' ? 'sil' : 'mnt'}-${randomBytes(4).toString('hex')}`;
      const base = { id, scope: action.scope, ...window, by: action.by, comment: action.comment };
      let saved: Silence | Maintenance;
      if (action.type === 'silence') {
        const parsed = silenceSchema.safeParse({ ...base, kinds: action.kinds });
        if (!parsed.success) return refused(issues(parsed.error.issues));
        saved = parsed.data;
        await store.putSilence(parsed.data);
      } else {
        const parsed = maintenanceSchema.safeParse(base);
        if (!parsed.success) return refused(issues(parsed.error.issues));
        saved = parsed.data;
        await store.putMaintenance(parsed.data);
      }
      return done(
        json
          ? `${JSON.stringify(saved, null, 2)}\n`
          : `${id}: ${action.type} of ${scopeText(action.scope)} from ${iso(window.startsMs)} until ${iso(window.endsMs)}\n`,
      );
    }
  }
}
