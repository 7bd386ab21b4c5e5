import { Ajv, type ValidateFunction } from 'ajv';
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
    validate ??= ajv.compile(z.toJSONSchema(schema, { io: 'output', target: 'draft-7' }));
    return validate;
  };
  return Object.assign((value: unknown) => (validate ?? prepare())(value), { prepare });
}
