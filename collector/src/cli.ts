import { parseArgs } from 'node:util';

export const COLLECTOR_HELP = `pantau-collector: stores village-site telemetry at the NOC and shows it.

Usage:
  pantau-collector serve [--config FILE]          subscribe, validate and store (embedded broker
                                                  when no broker URL is configured)
  pantau-collector sites [--config FILE] [--db PATH] [--json]
                                                  list sites: last seen, status, last values
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
  pantau-collector demo [--dir DIR] [--samples N] [--interval-sec S] [--agent CMD]
                                                  collector + embedded broker + a real agent here
  pantau-collector --help | --version

Options:
  -c, --config FILE     YAML or JSON config (default: $PANTAU_CONFIG, else defaults + environment)
      --db PATH         SQLite file to read (overrides store.sqlitePath)
      --json            machine-readable output
      --site ID         the site to report on
      --days N          days back from today, today included (default: 7)
      --limit N         most rejects shown (default: 50)
      --dir DIR         where the demo keeps its database and logs (default: .pantau-demo); each
                        run removes the previous run's database, agent data and logs there
      --samples N       stop the demo after N stored samples (default: run until Ctrl-C)
      --agent CMD       the pantau-agent bin the demo starts (default: pantau-agent on PATH)
      --interval-sec S  the demo agent's sampling interval (default: 5)
      --from DATE       the first day of a report or export (YYYY-MM-DD, local days: reports.timeZone)
      --to DATE         the last day, included
      --format F        csv, json, html or pdf (default: html)
      --kabupaten CODE  only the sites of one kabupaten, e.g. 64.08
      --lang L          en or id: the report's language (default: reports.language)
      --out PATH        report: the file to write (default: standard output; pdf needs it);
                        export: the folder for its two files (default: the current one)
      --sites FILE      the site registry (CSV or YAML, as docs/health.md describes): names and
                        region codes; sites heard but not in it are reported as unregistered

Environment (overrides the file):
  PANTAU_MQTT_URL, PANTAU_MQTT_USERNAME, PANTAU_MQTT_PASSWORD, PANTAU_MQTT_CLIENT_ID,
  PANTAU_BROKER_HOST, PANTAU_BROKER_PORT, PANTAU_SQLITE_PATH, PANTAU_POSTGRES_URL,
  PANTAU_MQTT_SHARE_GROUP, PANTAU_INGEST_CONNECTIONS, PANTAU_RETENTION_RAW_DAYS, PANTAU_MAX_PAYLOAD_BYTES,
  PANTAU_TOPIC_ROOT, PANTAU_LOG_LEVEL, PANTAU_HTTP_ENABLED, PANTAU_HTTP_HOST, PANTAU_HTTP_PORT,
  PANTAU_SPEEDTEST_MAX_DOWN_BYTES, PANTAU_SPEEDTEST_MAX_UP_BYTES

Exit codes: 0 success, 2 bad usage or config, 1 failure.
`;

export type CollectorCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'serve'; configPath: string | undefined }
  | { kind: 'sites'; configPath: string | undefined; dbPath: string | undefined; json: boolean }
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
  | { kind: 'demo'; dir: string; samples: number | undefined; intervalSec: number; agent: string }
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
  if (extra.length > 0) return { kind: 'usage_error', message: `unexpected argument: ${extra.join(' ')}` };
  const configPath = values.config ?? (env.PANTAU_CONFIG || undefined);
  switch (command) {
    case 'serve':
      return { kind: 'serve', configPath };
    case 'sites':
      return { kind: 'sites', configPath, dbPath: values.db, json: values.json === true };
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
      return {
        kind: 'demo',
        dir: values.dir ?? '.pantau-demo',
        samples,
        intervalSec: intervalSec ?? 5,
        agent: values.agent ?? 'pantau-agent',
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
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      kabupaten: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      sites: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
