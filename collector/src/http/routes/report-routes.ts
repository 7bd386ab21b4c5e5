import { z } from 'zod';
import { reportFormats } from '../../cli.js';
import { runReportCommand } from '../../commands/report-command.js';
import type { Store } from '../../store/store.js';
import { sendError } from '../api-error.js';
import type { HttpAppDeps } from '../app-deps.js';
import { type RouteDef, route } from '../route.js';

const MAX_REPORTS_AT_ONCE = 2;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date looks like 2026-11-30');

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
} as const;

export interface ReportRouteDeps {
  readonly store: Store;
  readonly config: HttpAppDeps['config'];
  readonly nowMs: () => number;
}

/** The previous calendar month (UTC dates), the default range of the open-data export. */
function lastMonth(nowMs: number): { from: string; to: string } {
  const now = new Date(nowMs);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/**
 * The planner report and the open-data export, exactly as `pantau-collector report` and `export`
 * make them (the same function runs; its files are kept in memory and sent).
 */
export function reportRoutes(deps: ReportRouteDeps): RouteDef[] {
  let running = 0;
  async function run(command: Parameters<typeof runReportCommand>[0]) {
    const files = new Map<string, string | Uint8Array>();
    running += 1;
    try {
      return { result: await runOnce(command, files), files };
    } finally {
      running -= 1;
    }
  }
  async function runOnce(command: Parameters<typeof runReportCommand>[0], files: Map<string, string | Uint8Array>) {
    const result = await runReportCommand(command, deps.config, deps.store, {
      readText: async () => {
        throw new Error('no files are read over HTTP');
      },
      writeFile: async (path, data) => {
        files.set(path, data);
      },
      stdout: () => {},
      joinPath: (_dir, name) => name,
      nowMs: deps.nowMs,
    });
    return result;
  }
  /** A report reads a fleet's month and may print through Chromium: a few at once, the rest wait outside. */
  const busy = (reply: import('fastify').FastifyReply) =>
    running >= MAX_REPORTS_AT_ONCE
      ? sendError(reply, 503, 'busy', `${MAX_REPORTS_AT_ONCE} reports are being made: retry in a minute`)
      : null;
  const common = { configPath: undefined, dbPath: undefined, sitesPath: undefined };
  const openDataQuery = z.object({ from: date.optional(), to: date.optional() });

  async function openData(query: z.infer<typeof openDataQuery>) {
    const month = lastMonth(deps.nowMs());
    const range = { from: query.from ?? month.from, to: query.to ?? month.to };
    return run({ kind: 'export', ...common, ...range, outDir: '.' });
  }

  return [
    route({
      method: 'GET',
      url: '/api/report',
      tag: 'reports',
      summary: 'The planner report for a range of local days (as `pantau-collector report`)',
      access: 'viewer',
      query: z.object({
        from: date,
        to: date,
        format: z.enum(reportFormats).default('json'),
        kabupaten: z.string().max(16).optional(),
        lang: z.enum(['en', 'id']).optional(),
      }),
      response: { status: 200, contentType: 'application/json, text/csv, text/html or application/pdf' },
      async handler({ query, reply }) {
        if (busy(reply) !== null) return reply;
        const out = `pantau-report-${query.from}-${query.to}.${query.format}`;
        const { result, files } = await run({
          kind: 'report',
          ...common,
          from: query.from,
          to: query.to,
          format: query.format,
          kabupatenCode: query.kabupaten,
          lang: query.lang,
          out,
        });
        if (!result.ok) return sendError(reply, 400, 'bad_request', `${result.message} (${result.code})`);
        const body = files.get(out) ?? '';
        reply.code(200).header('content-type', CONTENT_TYPES[query.format]);
        if (query.format === 'csv' || query.format === 'pdf') {
          reply.header('content-disposition', `attachment; filename="${out}"`);
        }
        return reply.send(typeof body === 'string' ? body : Buffer.from(body));
      },
    }),
    route({
      method: 'GET',
      url: '/api/open-data',
      tag: 'reports',
      summary: 'The open-data export (CSV) of a range of days (default: last month)',
      access: 'viewer',
      query: openDataQuery,
      response: { status: 200, contentType: 'text/csv' },
      async handler({ query, reply }) {
        if (busy(reply) !== null) return reply;
        const { result, files } = await openData(query);
        if (!result.ok) return sendError(reply, 400, 'bad_request', `${result.message} (${result.code})`);
        const [name, csv] = [...files.entries()].find(([n]) => n.endsWith('.csv')) ?? ['open-data.csv', ''];
        return reply
          .code(200)
          .header('content-type', CONTENT_TYPES.csv)
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(csv);
      },
    }),
    route({
      method: 'GET',
      url: '/api/open-data/metadata.json',
      tag: 'reports',
      summary: "The open-data export's metadata (columns, licence, range)",
      access: 'viewer',
      query: openDataQuery,
      response: { status: 200, schema: z.record(z.string(), z.unknown()) },
      async handler({ query, reply }) {
        if (busy(reply) !== null) return reply;
        const { result, files } = await openData(query);
        if (!result.ok) return sendError(reply, 400, 'bad_request', `${result.message} (${result.code})`);
        const [, metadata] = [...files.entries()].find(([n]) => n.endsWith('.json')) ?? ['', '{}'];
        return reply.code(200).header('content-type', CONTENT_TYPES.json).send(metadata);
      },
    }),
  ];
}
