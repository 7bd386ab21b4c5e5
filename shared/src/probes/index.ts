import { z } from 'zod';
import { latencySectionSchema } from './latency.js';
import { uptimeSectionSchema } from './uptime.js';

export * from './latency.js';
export * from './section.js';
export * from './uptime.js';

/**
 * The map from probe name to the shape of its section in a sample. The agent's probe registry and
 * config validation are keyed by these names; the collector reads sections by them.
 */
export const probeSectionSchemas = {
  latency: latencySectionSchema,
  uptime: uptimeSectionSchema,
} as const;

export type ProbeName = keyof typeof probeSectionSchemas;
export const probeNames = Object.keys(probeSectionSchemas) as ProbeName[];

/** What a probe hands back (input form: values it did not measure may be left out). */
export type ProbeSectionInput<N extends ProbeName> = z.input<(typeof probeSectionSchemas)[N]>;
export type ProbeSection<N extends ProbeName> = z.infer<(typeof probeSectionSchemas)[N]>;

export const probeSectionsSchema = z.object({
  latency: latencySectionSchema.optional(),
  uptime: uptimeSectionSchema.optional(),
});
