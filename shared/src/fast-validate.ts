import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, ValidateFunction } from 'ajv';
import { z } from 'zod';

/**
 * A compiled fast path in front of a zod schema, for the collector's hot loop: zod walks a
 * 1.4 KB sample in ~10 µs, ajv's generated code in ~3 µs (bench/src/ingest-stages.ts).
 *
 * It accepts only *canonical* values: what zod itself outputs, i.e. every field present (defaults
 * filled in) and no unknown field. On those, zod's parse would return a deep-equal copy, so the
 * value can be used as it is. Anything else (a field left out for its default, an unknown field,
 * any error) goes to zod, which stays the one authority on what is valid, what a default fills in
 * and which message a reject carries. So the fast path can make ingest faster but never change
 * what it accepts or how it reads a message. tests/unit/shared/fast-validate.test.ts checks that
 * on fuzzed messages.
 */
export type CanonicalCheck = (value: unknown) => boolean;

/**
 * ajv is loaded on first use, not at import: the agent imports the codec too, decodes almost
 * nothing, and on a Pi the module alone would cost it about 5 MB of RSS.
 */
let ajv: AjvInstance | undefined;
function loadAjv(): AjvInstance {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv({
    // zod (4.6) measures string lengths in code points, as ajv does by default, but runs its regexes
    // without the `u` flag, which ajv adds by default.
    unicodeRegExp: false,
    // Infinity (JSON.parse('1e400')) is not a number to zod; it must not be one here either.
    strictNumbers: true,
    // The JSON Schema zod generates keeps `default` annotations, which ajv would only warn about.
    strictSchema: false,
    allErrors: false,
    messages: false,
  });
}

/**
 * The canonical check for `schema`, compiled from zod's own JSON Schema of its output, in which
 * every field with a default is required and objects allow no other fields.
 */
export function compileCanonicalCheck(schema: z.ZodType): CanonicalCheck {
  let validate: ValidateFunction | undefined;
  return (value) => {
    // Compiled on first use: the agent imports the codec too and never needs most of these.
    ajv ??= loadAjv();
    validate ??= ajv.compile(z.toJSONSchema(schema, { io: 'output', target: 'draft-7' }));
    return validate(value);
  };
}
