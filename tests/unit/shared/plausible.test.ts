import { readFileSync } from 'node:fs';
import { latencyTargetSchema, PLAUSIBLE_RANGES, probeSectionSchemas } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/** Field names whose JSON Schema allows a number (integer or not), of a section's object schema. */
function numericFields(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, unknown> };
  const allowsNumber = (node: unknown): boolean => {
    const n = node as { type?: string | string[]; anyOf?: unknown[] };
    const types = Array.isArray(n.type) ? n.type : [n.type];
    return types.includes('number') || types.includes('integer') || (n.anyOf ?? []).some(allowsNumber);
  };
  return Object.entries(json.properties)
    .filter(([, node]) => allowsNumber(node))
    .map(([name]) => name)
    .sort();
}

describe('plausible ranges', () => {
  it('cover every numeric figure of every probe section', () => {
    for (const [name, schema] of Object.entries(probeSectionSchemas)) {
      const table = PLAUSIBLE_RANGES[name as keyof typeof PLAUSIBLE_RANGES];
      const fields = name === 'latency' ? numericFields(latencyTargetSchema) : numericFields(schema);
      expect([name, Object.keys(table).sort()]).toEqual([name, fields]);
    }
  });

  it('are the table in docs/protocol.md, bound for bound', () => {
    const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-zA-Z0-9.[\]]+)` +\| (-?[\d,]+) +\| (-?[\d,]+) +\|/gm)].map((m) => [
        m[1],
        [Number(m[2]?.replaceAll(',', '')), Number(m[3]?.replaceAll(',', ''))],
      ]),
    );
    for (const [name, fields] of Object.entries(PLAUSIBLE_RANGES)) {
      for (const [field, range] of Object.entries(fields)) {
        const key = name === 'latency' ? `latency.targets[].${field}` : `${name}.${field}`;
        expect([key, rows.get(key)]).toEqual([key, [range.min, range.max]]);
      }
    }
  });
});
