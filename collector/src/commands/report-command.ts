import { fail, ok, type Result } from '@pantau/shared';
import type { ExportCommand, ReportCommand } from '../cli.js';
import type { CollectorConfig } from '../config/schema.js';
import type { HealthStateStore } from '../health/ports.js';
import { formatRowError, parseSiteFile, siteFileFormat } from '../registry/site-import.js';
import { createMemoryRegistry, type SiteRegistry } from '../registry/site-registry.js';
import { buildReport, type ReportDeps } from '../reports/build-report.js';
import { buildOpenDataExport } from '../reports/open-data.js';
import { reportRange } from '../reports/range.js';
import { toCsv } from '../reports/render-csv.js';
import { toHtml } from '../reports/render-html.js';
import { toJson } from '../reports/render-json.js';
import { toPdf } from '../reports/render-pdf.js';
import type { ReportStore } from '../store/store.js';

export interface ReportIo {
  readonly readText: (path: string) => Promise<string>;
  /** Writes a file whole (the report, or one of the export's files). */
  readonly writeFile: (path: string, data: string | Uint8Array) => Promise<void>;
  readonly stdout: (text: string) => void;
  readonly joinPath: (dir: string, name: string) => string;
  readonly nowMs: () => number;
}

/** The site registry from `--sites`, else the one in the store (`sites import`). */
async function loadRegistry(
  path: string | undefined,
  stored: Pick<SiteRegistry, 'list'>,
  io: ReportIo,
): Promise<Result<Pick<SiteRegistry, 'list'>>> {
  if (path === undefined) return ok(stored);
  let text: string;
  try {
    text = await io.readText(path);
  } catch (error) {
    return fail('registry_unreadable', `--sites ${path}: ${(error as Error).message}`);
  }
  const parsed = parseSiteFile(text, siteFileFormat(path));
  if (!parsed.ok) {
    const rows = (parsed.errors ?? []).map(formatRowError);
    return fail(parsed.code, [`--sites ${path}: ${parsed.message}`, ...rows].join('\n'));
  }
  return ok(createMemoryRegistry(parsed.value.map((r) => r.record)));
}

/**
 * `report` and `export`: read the store (roll-ups, the registry unless `--sites` names a file, and
 * the health history, which splits downtime by cause), write the files.
 */
export async function runReportCommand(
  command: ReportCommand | ExportCommand,
  config: Pick<CollectorConfig, 'reports' | 'health'>,
  store: Pick<ReportStore, 'reportDays' | 'rollupsInRange' | 'listSites'> &
    Pick<SiteRegistry, 'list'> &
    Pick<HealthStateStore, 'history'>,
  io: ReportIo,
): Promise<Result<string>> {
  const range = reportRange(command.from, command.to, config.reports.timeZone);
  if (!range.ok) return range;
  const registry = await loadRegistry(command.sitesPath, store, io);
  if (!registry.ok) return registry;
  const deps: ReportDeps = {
    rollups: store,
    registry: registry.value,
    history: store,
    health: config.health,
    nowMs: io.nowMs(),
  };
  if (command.kind === 'export') {
    const data = await buildOpenDataExport(range.value, deps, config.reports.openData);
    const csvPath = io.joinPath(command.outDir, data.csvName);
    const metadataPath = io.joinPath(command.outDir, data.metadataName);
    await io.writeFile(csvPath, data.csv);
    await io.writeFile(metadataPath, `${JSON.stringify(data.metadata, null, 2)}\n`);
    return ok(`${data.rows} site-days written to ${csvPath}, metadata in ${metadataPath}\n`);
  }
  const report = await buildReport(range.value, { kabupatenCode: command.kabupatenCode }, deps);
  const lang = command.lang ?? config.reports.language;
  const body =
    command.format === 'csv'
      ? toCsv(report)
      : command.format === 'json'
        ? toJson(report)
        : command.format === 'html'
          ? toHtml(report, lang)
          : await toPdf(toHtml(report, lang), { executablePath: config.reports.chromiumPath });
  if (command.out === undefined) {
    io.stdout(typeof body === 'string' ? body : '');
    return ok('');
  }
  await io.writeFile(command.out, body);
  return ok(`${report.sites.length} sites, ${command.format} written to ${command.out}\n`);
}
