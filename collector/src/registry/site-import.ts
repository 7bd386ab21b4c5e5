import { fail, ok, type Result } from '@pantau/shared';
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { parseCsv } from './csv.js';
import { CSV_COLUMNS, NUMERIC_FIELDS, type SiteRecord, siteRecordSchema } from './site-record.js';

/** One problem with one row: where it is, which field, what is wrong. */
export interface RowError {
  readonly line: number;
  /** As the file names it: a CSV column, or a YAML key. */
  readonly field: string | null;
  readonly message: string;
}

export interface ParsedRow {
  readonly line: number;
  readonly record: SiteRecord;
}

export type SiteFileFormat = 'csv' | 'yaml';

export type ImportErrorCode = 'registry_unparsable' | 'registry_invalid';

/** The format a file name says: `.csv`, else YAML (`.yaml`, `.yml`, `.json`). */
export function siteFileFormat(path: string): SiteFileFormat {
  return path.toLowerCase().endsWith('.csv') ? 'csv' : 'yaml';
}

/**
 * Parses and validates a whole registry file. Every bad row is reported with its line and field;
 * a file with any bad row yields no records, so a fixed file can simply be imported again.
 */
export function parseSiteFile(
  text: string,
  format: SiteFileFormat,
): Result<ParsedRow[], ImportErrorCode> & { readonly errors?: readonly RowError[] } {
  const rows = format === 'csv' ? csvRows(text) : yamlRows(text);
  if (!rows.ok) return { ...fail('registry_unparsable', rows.message), errors: rows.errors };
  const errors: RowError[] = [...rows.errors];
  const parsed: ParsedRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of rows.value) {
    const result = siteRecordSchema.safeParse(row.values);
    if (!result.success) {
      for (const issue of result.error.issues) errors.push(rowError(row, issue));
      continue;
    }
    const earlier = firstLineOf.get(result.data.siteId);
    if (earlier !== undefined) {
      errors.push({
        line: row.line,
        field: row.fieldName('siteId'),
        message: `site ${result.data.siteId} is already on line ${earlier}`,
      });
      continue;
    }
    firstLineOf.set(result.data.siteId, row.line);
    parsed.push({ line: row.line, record: result.data });
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line);
    return { ...fail('registry_invalid', errors.map(formatRowError).join('\n')), errors };
  }
  return ok(parsed);
}

export function formatRowError(error: RowError): string {
  return error.field === null
    ? `line ${error.line}: ${error.message}`
    : `line ${error.line}, ${error.field}: ${error.message}`;
}

interface RawRow {
  readonly line: number;
  readonly values: Record<string, unknown>;
  /** The line a field sits on (YAML keys have their own lines). */
  readonly lineOf: (field: string) => number;
  readonly fieldName: (field: string) => string;
}

/** Rows to validate, and problems already found in them (unknown fields); or a file that is not a table at all. */
type RowsResult =
  | { ok: true; value: RawRow[]; errors: RowError[] }
  | { ok: false; message: string; errors: RowError[] };

function rowError(row: RawRow, issue: z.core.$ZodIssue): RowError {
  const field = issue.path[0] === undefined ? null : String(issue.path[0]);
  const value = field === null ? undefined : row.values[field];
  const got = value === undefined ? ' (missing)' : ` (got ${JSON.stringify(value)})`;
  return {
    line: field === null ? row.line : row.lineOf(field),
    field: field === null ? null : row.fieldName(field),
    message: `${issue.message}${issue.code === 'custom' ? '' : got}`,
  };
}

const fieldOfColumn = new Map<string, string>(Object.entries(CSV_COLUMNS).map(([field, column]) => [column, field]));

function csvRows(text: string): RowsResult {
  const table = parseCsv(text);
  const [header, ...records] = table.records;
  if (header === undefined) return { ok: false, message: 'the file is empty', errors: [] };
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => !fieldOfColumn.has(c));
  if (unknown.length > 0) {
    const message = `unknown column ${unknown.join(', ')}; the columns are ${Object.values(CSV_COLUMNS).join(', ')}`;
    return {
      ok: false,
      message: `line ${header.line}: ${message}`,
      errors: [{ line: header.line, field: null, message }],
    };
  }
  const rows = records.map((record) => {
    const values: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const field = fieldOfColumn.get(column) as keyof typeof CSV_COLUMNS;
      const cell = (record.cells[i] ?? '').trim();
      if (cell === '') return;
      values[field] = NUMERIC_FIELDS.has(field) ? csvNumber(cell, table.delimiter) : cell;
    });
    return {
      line: record.line,
      values,
      lineOf: () => record.line,
      fieldName: (field: string) => CSV_COLUMNS[field as keyof typeof CSV_COLUMNS] ?? field,
    };
  });
  return { ok: true, value: rows, errors: [] };
}

/** A number, or the cell itself so that the schema names what it got; `;` files use decimal commas. */
function csvNumber(cell: string, delimiter: ',' | ';'): number | string {
  const text = delimiter === ';' ? cell.replace(',', '.') : cell;
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : cell;
}

function yamlRows(text: string): RowsResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => ({
      line: lineAt(e.pos[0]),
      field: null,
      message: e.message.split('\n')[0] ?? '',
    }));
    return { ok: false, message: errors.map(formatRowError).join('\n'), errors };
  }
  const top = doc.contents;
  const list = isMap(top) ? top.get('sites', true) : top;
  if (!isSeq(list)) {
    const message = 'expected a list of sites (or `sites:` holding one)';
    return { ok: false, message: `line 1: ${message}`, errors: [{ line: 1, field: null, message }] };
  }
  const rows: RawRow[] = [];
  const errors: RowError[] = [];
  for (const item of list.items) {
    const line = lineAt((item as { range?: [number, number, number] } | null)?.range?.[0]);
    if (!isMap(item)) {
      errors.push({ line, field: null, message: 'each site is a mapping of fields' });
      continue;
    }
    const map = item as YAMLMap<unknown, unknown>;
    const values = map.toJSON() as Record<string, unknown>;
    const row: RawRow = {
      line,
      values,
      lineOf: (field) => {
        const pair = map.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === field);
        const key = pair?.key as { range?: [number, number, number] } | undefined;
        return key?.range === undefined ? line : lineAt(key.range[0]);
      },
      fieldName: (field) => field,
    };
    for (const key of Object.keys(values)) {
      if (key in CSV_COLUMNS) continue;
      const message = `unknown field; the fields are ${Object.keys(CSV_COLUMNS).join(', ')}`;
      errors.push({ line: row.lineOf(key), field: key, message });
    }
    rows.push(row);
  }
  return { ok: true, value: rows, errors };
}
