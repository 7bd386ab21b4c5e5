import { parseArgs } from 'node:util';
import { type AlertsAction, parseAlertsAction, siteSetArgs } from './commands/health-args.js';
import { type ProvisionArgs, parseProvisionArgs } from './commands/provision-command.js';
import { parseUserArgs, type UserAddArgs } from './commands/user-command.js';

export const COLLECTOR_HELP = `pantau-collector: stores village-site telemetry at the NOC and shows it.

Usage:
  pantau-collector serve [--config FILE]          subscribe, validate and store (embedded broker
                                                  when no broker URL is configured)
  pantau-collector sites [--config FILE] [--db PATH] [--json]
                                                  list sites: registered or not, last seen, status,
                                                  last values
  pantau-collector sites import FILE.csv|FILE.yaml [--config FILE] [--db PATH]
                                                  register sites (idempotent; a file with a bad row
                                                  imports nothing and names every bad row)
  pantau-collector sites set SITE --FIELD VALUE... [--config FILE] [--db PATH]
                                                  change fields of one site (CSV or YAML names;
                                                  an empty value clears an optional field)
  pantau-collector provision SITE [--rotate] [--FIELD VALUE...] [--config FILE] [--db PATH]
                                                  a broker login for the site (registered here with
                                                  the fields of \`sites set\`, or already), its agent
                                                  config, CA and a QR code (docs/provisioning.md);
                                                  --rotate replaces the password of a site that has one
  pantau-collector decommission SITE [--config FILE] [--db PATH]
                                                  removes the site's login; the registry keeps it,
                                                  marked decommissioned: no more alerts for it
                                                  (also: provision SITE --revoke; provision again
                                                  recommissions it)
  pantau-collector health [--site ID] [--config FILE] [--db PATH] [--json]
                                                  each site's states, causes and since when; with
                                                  --site also its history of the last 7 days
  pantau-collector user add NAME [--role viewer|admin] [--token]
                                                  config lines for an HTTP API user (password on
                                                  standard input) or a bearer token (docs/api.md)
  pantau-collector alerts [list] [--json]         firing alerts, open incidents, silences, windows
  pantau-collector alerts ack SITE[/KIND] [--by NAME] [--note TEXT]
  pantau-collector alerts silence|maintenance --site ID|--kecamatan CODE|--kabupaten CODE
                   --for DURATION|--until TIME [--from TIME] [--kind K,...] [--by NAME] [--comment TEXT]
  pantau-collector alerts end ID                  end a silence or maintenance window now
  pantau-collector rejects [--config FILE] [--db PATH] [--limit N] [--json]
                                                  the quarantine: rejected messages, newest first
  pantau-collector stats [--config FILE] [--db PATH] [--json]
                                                  counters kept in the store: duplicates, rejects,
                                                  implausible figures, resend requests, recoveries
  pantau-collector completeness --site ID [--days N] [--config FILE] [--db PATH] [--json]
                                                  received / expected samples per UTC day
  pantau-collector report --from DATE --to DATE [--format csv|json|html|pdf] [--kabupaten CODE]
                  [--lang en|id] [--out FILE] [--sites FILE] [--config FILE] [--db PATH]
                                                  the planner report: availability and why it was
                                                  lost, use, quality, underused sites, per site,
                                                  kecamatan and kabupaten (docs/reports.md)
  pantau-collector export --from DATE --to DATE [--out DIR] [--sites FILE] [--config FILE] [--db PATH]
                                                  open data: per-site daily availability and use
                                                  as CSV, with a metadata JSON (docs/reports.md)
  pantau-collector demo [--dir DIR] [--samples N] [--interval-sec S] [--agent CMD] [--fleet SCRIPT]
                        [--fleet-sites N]         collector + embedded broker + a real agent here
                                                  (+ a simulated fleet)
  pantau-collector --help | --version

Options:
  -c, --config FILE     YAML or JSON config (default: $PANTAU_CONFIG, else defaults + environment)
      --db PATH         SQLite file to read (overrides store.sqlitePath)
      --json            machine-readable output
      --site ID         the site to report on
      --days N          days back from today, today included (default: 7)
      --limit N         most rejects shown (default: 50)
      --for DURATION    how long a silence or maintenance window lasts: 90m, 2h, 1d
      --from, --until   alerts: ISO times, e.g. 2026-12-02T08:00+08:00 (--from defaults to now)
      --kind K,...      a silence's alert kinds (default: all): offline, degraded, power_at_risk,
                        underused, data_problem
      --by NAME         who acknowledges or silences (default: $USER)
      --dir DIR         where the demo keeps its database and logs (default: .pantau-demo); each
                        run removes the previous run's database, agent data and logs there
      --samples N       stop the demo after N stored samples (default: run until Ctrl-C)
      --agent CMD       the pantau-agent bin the demo starts (default: pantau-agent on PATH)
      --interval-sec S  the demo agent's sampling interval (default: 5)
      --fleet SCRIPT    also run this fleet simulator (a Node script; pnpm demo passes the
                        checkout's) against the embedded broker
      --fleet-sites N   simulated sites beside the real agent (default: 20)
      --from DATE       report, export: the first day (YYYY-MM-DD, local days: reports.timeZone)
      --to DATE         the last day, included
      --format F        csv, json, html or pdf (default: html)
      --kabupaten CODE  only the sites of one kabupaten, e.g. 64.08
      --lang L          en or id: the report's language (default: reports.language)
      --out PATH        report: the file to write (default: standard output; pdf needs it);
                        export: the folder for its two files (default: the current one)
      --sites FILE      a site registry file (CSV or YAML, as docs/health.md describes) instead of
                        the one in the store; sites heard but not in it are reported as unregistered

Environment (overrides the file):
  PANTAU_MQTT_URL, PANTAU_MQTT_USERNAME, PANTAU_MQTT_PASSWORD, PANTAU_MQTT_CLIENT_ID,
  PANTAU_BROKER_HOST, PANTAU_BROKER_PORT, PANTAU_SQLITE_PATH, PANTAU_POSTGRES_URL,
  PANTAU_MQTT_SHARE_GROUP, PANTAU_INGEST_CONNECTIONS, PANTAU_RETENTION_RAW_DAYS, PANTAU_MAX_PAYLOAD_BYTES,
  PANTAU_TOPIC_ROOT, PANTAU_LOG_LEVEL, PANTAU_HTTP_ENABLED, PANTAU_HTTP_HOST, PANTAU_HTTP_PORT,
  PANTAU_SPEEDTEST_MAX_DOWN_BYTES, PANTAU_SPEEDTEST_MAX_UP_BYTES, PANTAU_HEALTH_ENABLED,
  PANTAU_WEBHOOK_URL, PANTAU_WEBHOOK_SECRET, PANTAU_ALERTMANAGER_URL

Exit codes: 0 success, 2 bad usage or config, 1 failure.
`;

export type CollectorCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'serve'; configPath: string | undefined }
  | { kind: 'sites'; configPath: string | undefined; dbPath: string | undefined; json: boolean }
  | { kind: 'sites_import'; configPath: string | undefined; dbPath: string | undefined; file: string }
  | {
      kind: 'sites_set';
      configPath: string | undefined;
      dbPath: string | undefined;
      siteId: string;
      assignments: string[];
    }
  | {
      kind: 'health';
      configPath: string | undefined;
      dbPath: string | undefined;
      json: boolean;
      siteId: string | undefined;
    }
  | { kind: 'alerts'; configPath: string | undefined; dbPath: string | undefined; json: boolean; action: AlertsAction }
  | { kind: 'stats'; configPath: string | undefined; dbPath: string | undefined; json: boolean }
  | { kind: 'rejects'; configPath: string | undefined; dbPath: string | undefined; json: boolean; limit: number }
  | {
      kind: 'completeness';
      configPath: string | undefined;
      dbPath: string | undefined;
      json: boolean;
      siteId: string;
      days: number;
    }
  | ReportCommand
  | ExportCommand
  | {
      kind: 'demo';
      dir: string;
      samples: number | undefined;
      intervalSec: number;
      agent: string;
      fleet: { script: string; sites: number } | null;
    }
  | { kind: 'provision'; configPath: string | undefined; dbPath: string | undefined; args: ProvisionArgs }
  | { kind: 'user_add'; args: UserAddArgs }
  | { kind: 'usage_error'; message: string };

export const reportFormats = ['csv', 'json', 'html', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];

interface StoreOptions {
  configPath: string | undefined;
  dbPath: string | undefined;
}

export interface ReportCommand extends StoreOptions {
  kind: 'report';
  from: string;
  to: string;
  format: ReportFormat;
  kabupatenCode: string | undefined;
  lang: 'en' | 'id' | undefined;
  out: string | undefined;
  sitesPath: string | undefined;
}

export interface ExportCommand extends StoreOptions {
  kind: 'export';
  from: string;
  to: string;
  outDir: string;
  sitesPath: string | undefined;
}

export function parseCollectorArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CollectorCommand {
  // `sites set` takes free field names as options, which the fixed option list below would refuse.
  if (argv[0] === 'sites' && argv[1] === 'set') {
    const siteId = argv[2];
    if (siteId === undefined || siteId.startsWith('-')) return { kind: 'usage_error', message: 'sites set needs SITE' };
    const rest = siteSetArgs(argv.slice(3));
    if (typeof rest === 'string') return { kind: 'usage_error', message: rest };
    if (rest.assignments.length === 0) return { kind: 'usage_error', message: 'sites set needs --FIELD VALUE' };
    const configPath = rest.config ?? (env.PANTAU_CONFIG || undefined);
    return { kind: 'sites_set', configPath, dbPath: rest.db, siteId, assignments: rest.assignments };
  }
  if (argv[0] === 'provision' || argv[0] === 'decommission') {
    const args = parseProvisionArgs(argv[0], argv.slice(1));
    if (typeof args === 'string') return { kind: 'usage_error', message: args };
    return { kind: 'provision', configPath: args.config ?? (env.PANTAU_CONFIG || undefined), dbPath: args.db, args };
  }
  if (argv[0] === 'user') {
    const args = parseUserArgs(argv.slice(1));
    return typeof args === 'string' ? { kind: 'usage_error', message: args } : { kind: 'user_add', args };
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { kind: 'usage_error', message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const [command, ...extra] = positionals;
  if (command === undefined) return { kind: 'help' };
  const configPath = values.config ?? (env.PANTAU_CONFIG || undefined);
  if (command === 'alerts') {
    const action = parseAlertsAction(extra, values, env.USER || 'operator');
    if (typeof action === 'string') return { kind: 'usage_error', message: action };
    return { kind: 'alerts', configPath, dbPath: values.db, json: values.json === true, action };
  }
  if (command === 'sites' && extra[0] === 'import') {
    const [, file, ...more] = extra;
    if (file === undefined || more.length > 0) return { kind: 'usage_error', message: 'sites import needs one FILE' };
    return { kind: 'sites_import', configPath, dbPath: values.db, file };
  }
  if (extra.length > 0) return { kind: 'usage_error', message: `unexpected argument: ${extra.join(' ')}` };
  switch (command) {
    case 'serve':
      return { kind: 'serve', configPath };
    case 'sites':
      return { kind: 'sites', configPath, dbPath: values.db, json: values.json === true };
    case 'health':
      return { kind: 'health', configPath, dbPath: values.db, json: values.json === true, siteId: values.site };
    case 'stats':
      return { kind: 'stats', configPath, dbPath: values.db, json: values.json === true };
    case 'rejects': {
      const limit = positiveInt(values.limit, '--limit');
      if (typeof limit === 'string') return { kind: 'usage_error', message: limit };
      return { kind: 'rejects', configPath, dbPath: values.db, json: values.json === true, limit: limit ?? 50 };
    }
    case 'completeness': {
      const days = positiveInt(values.days, '--days');
      if (typeof days === 'string') return { kind: 'usage_error', message: days };
      if (values.site === undefined) return { kind: 'usage_error', message: 'completeness needs --site ID' };
      return {
        kind: 'completeness',
        configPath,
        dbPath: values.db,
        json: values.json === true,
        siteId: values.site,
        days: days ?? 7,
      };
    }
    case 'report':
    case 'export': {
      if (values.from === undefined || values.to === undefined) {
        return { kind: 'usage_error', message: `${command} needs --from DATE and --to DATE (YYYY-MM-DD)` };
      }
      const common = { configPath, dbPath: values.db, from: values.from, to: values.to, sitesPath: values.sites };
      if (command === 'export') return { kind: 'export', ...common, outDir: values.out ?? '.' };
      const format = values.format ?? 'html';
      if (!(reportFormats as readonly string[]).includes(format)) {
        return { kind: 'usage_error', message: `--format ${format}: one of ${reportFormats.join(', ')}` };
      }
      const lang = values.lang;
      if (lang !== undefined && lang !== 'en' && lang !== 'id') {
        return { kind: 'usage_error', message: `--lang ${lang}: en or id` };
      }
      if (format === 'pdf' && values.out === undefined) {
        return { kind: 'usage_error', message: '--format pdf needs --out FILE' };
      }
      return {
        kind: 'report',
        ...common,
        format: format as ReportFormat,
        kabupatenCode: values.kabupaten,
        lang,
        out: values.out,
      };
    }
    case 'demo': {
      const samples = positiveInt(values.samples, '--samples');
      const intervalSec = positiveInt(values['interval-sec'] ?? '5', '--interval-sec');
      if (typeof samples === 'string') return { kind: 'usage_error', message: samples };
      if (typeof intervalSec === 'string') return { kind: 'usage_error', message: intervalSec };
      const fleetSites = positiveInt(values['fleet-sites'] ?? '20', '--fleet-sites');
      if (typeof fleetSites === 'string') return { kind: 'usage_error', message: fleetSites };
      return {
        kind: 'demo',
        dir: values.dir ?? '.pantau-demo',
        samples,
        intervalSec: intervalSec ?? 5,
        agent: values.agent ?? 'pantau-agent',
        fleet: values.fleet === undefined ? null : { script: values.fleet, sites: fleetSites ?? 20 },
      };
    }
    default:
      return { kind: 'usage_error', message: `unknown command: ${command}` };
  }
}

/** The number, undefined when absent, or an error message. */
function positiveInt(value: string | undefined, name: string): number | undefined | string {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : `${name} needs a whole number above 0, got ${JSON.stringify(value)}`;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      dir: { type: 'string' },
      samples: { type: 'string' },
      site: { type: 'string' },
      days: { type: 'string' },
      limit: { type: 'string' },
      'interval-sec': { type: 'string' },
      agent: { type: 'string' },
      fleet: { type: 'string' },
      'fleet-sites': { type: 'string' },
      kecamatan: { type: 'string' },
      kabupaten: { type: 'string' },
      kind: { type: 'string' },
      for: { type: 'string' },
      from: { type: 'string' },
      until: { type: 'string' },
      by: { type: 'string' },
      note: { type: 'string' },
      comment: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      sites: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
