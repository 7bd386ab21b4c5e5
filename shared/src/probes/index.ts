import { z } from 'zod';
import { clientsSectionSchema } from './clients.js';
import { hostSectionSchema } from './host.js';
import { latencySectionSchema } from './latency.js';
import { powerSectionSchema } from './power.js';
import { terminalSectionSchema } from './terminal.js';
import { throughputSectionSchema } from './throughput.js';
import { uptimeSectionSchema } from './uptime.js';
import { usageSectionSchema } from './usage.js';

export * from './clients.js';
export * from './host.js';
export * from './latency.js';
export * from './power.js';
export * from './section.js';
export * from './terminal.js';
export * from './throughput.js';
export * from './uptime.js';
export * from './usage.js';

/**
 * The map from probe name to the shape of its section in a sample. The agent's probe registry and
 * config validation are keyed by these names; the collector reads sections by them.
 */
export const probeSectionSchemas = {
  latency: latencySectionSchema,
  uptime: uptimeSectionSchema,
  usage: usageSectionSchema,
  clients: clientsSectionSchema,
  power: powerSectionSchema,
  throughput: throughputSectionSchema,
  terminal: terminalSectionSchema,
  host: hostSectionSchema,
} as const;

export type ProbeName = keyof typeof probeSectionSchemas;
export const probeNames = Object.keys(probeSectionSchemas) as ProbeName[];

/** What a probe hands back (input form: values it did not measure may be left out). */
export type ProbeSectionInput<N extends ProbeName> = z.input<(typeof probeSectionSchemas)[N]>;
export type ProbeSection<N extends ProbeName> = z.infer<(typeof probeSectionSchemas)[N]>;

/** A sample's `probes`: each section optional, present when that probe ran. */
export const probeSectionsSchema = z.object({
  latency: latencySectionSchema.optional(),
  uptime: uptimeSectionSchema.optional(),
  usage: usageSectionSchema.optional(),
  clients: clientsSectionSchema.optional(),
  power: powerSectionSchema.optional(),
  throughput: throughputSectionSchema.optional(),
  terminal: terminalSectionSchema.optional(),
  host: hostSectionSchema.optional(),
});
