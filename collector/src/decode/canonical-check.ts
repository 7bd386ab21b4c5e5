import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import { z } from 'zod';

/**
 * A compiled fast path in front of a zod schema, for the collector's hot loop: ajv's generated
 * code checks a sample about three times faster than zod walks it (docs/columnar.md, "Decoders").
 *
 * It accepts only *canonical* values: what zod itself outputs, i.e. every field present (defaults
 * filled in) and no unknown field. On those, zod's parse would return a deep-equal copy, so the
 * value can be used as it is. Anything else (a field left out for its default, an unknown field,
 * any error) goes to zod, which stays the one authority on what is valid, what a default fills in
 * and which message a reject carries. So the fast path can make ingest faster but never change
 * what it accepts or how it reads a message. tests/unit/collector/canonical-check.test.ts checks
 * that on mutated messages, and `pnpm fuzz` on every payload it makes.
 */
export interface CanonicalCheck {
  (value: unknown): boolean;
  /** Compiles the check now (as the collector starts) rather than on the first message. */
  prepare(): void;
}

let ajv: Ajv | undefined;
function makeAjv(): Ajv {
  return new Ajv({
    // zod measures string lengths in code points, as ajv does by default, but runs its regexes
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

/** What a zod schema's definition holds, as far as the walk below reads it. */
interface Definition {
  readonly checks?: readonly { readonly _zod: { readonly def: { readonly check: string } } }[];
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
}

/**
 * Whether a schema (or one inside it) has a refinement: a rule in code, such as `toSeq >= fromSeq`,
 * that its JSON Schema cannot say, so ajv would pass what zod refuses.
 */
export function hasRefinement(schema: z.ZodType): boolean {
  const def = schema._zod.def as Definition;
  if (def.checks?.some((c) => c._zod.def.check === 'custom') === true) return true;
  const inner = [
    ...Object.values(def.shape ?? {}),
    ...(def.options ?? []),
    ...[def.element, def.innerType, def.in, def.out].filter((s): s is z.ZodType => s !== undefined),
  ];
  return inner.some(hasRefinement);
}

/**
 * The canonical check for `schema`, compiled from zod's own JSON Schema of its output, in which
 * every field with a default is required and objects allow no other fields. A schema with a
 * refinement has none (every message goes to zod). Compiled on first use: the collector's commands
 * that only read the store never need it.
 */
export function compileCanonicalCheck(schema: z.ZodType): CanonicalCheck {
  if (hasRefinement(schema)) return Object.assign(() => false, { prepare: () => {} });
  let validate: ValidateFunction | undefined;
  const prepare = (): ValidateFunction => {
    ajv ??= makeAjv();
    validate ??= ajv.compile(
      withNullableTypes(z.toJSONSchema(schema, { io: 'output', target: 'draft-7' })) as AnySchema,
    );
    return validate;
  };
  return Object.assign((value: unknown) => (validate ?? prepare())(value), { prepare });
}

type JsonSchema = { [keyword: string]: unknown };

/** Keywords that constrain every type, so a schema holding one cannot simply also admit null. */
const UNTYPED_KEYWORDS = ['anyOf', 'allOf', 'oneOf', 'not', 'if', '$ref', 'const'];

/**
 * zod writes a nullable field as `anyOf: [X, {type: 'null'}]`, which ajv checks branch by branch,
 * allocating an error object for each branch a value fails: most of the check's cost on a batch of
 * samples. Where X has one `type` and otherwise only keywords that apply to that type alone (or an
 * `enum`, which then also lists null), `{...X, type: [X.type, 'null']}` accepts exactly the same
 * values; so the rewrite changes the check's speed, not its verdict.
 */
export function withNullableTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withNullableTypes);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) out[key] = withNullableTypes(value);
  const branches = out.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return out;
  const [typed, nullOnly] = branches as [unknown, unknown];
  if (!isSchemaObject(typed) || !isSchemaObject(nullOnly)) return out;
  const isNull = Object.keys(nullOnly).length === 1 && nullOnly.type === 'null';
  const single = typeof typed.type === 'string' && typed.type !== 'null';
  if (!isNull || !single || UNTYPED_KEYWORDS.some((k) => k in typed)) return out;
  const { anyOf: _, ...rest } = out;
  if (Object.keys(rest).some((k) => k !== 'default' && k in typed)) return out;
  const merged: JsonSchema = { ...rest, ...typed, type: [typed.type, 'null'] };
  if (Array.isArray(typed.enum)) merged.enum = [...typed.enum, null];
  return merged;
}

function isSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
