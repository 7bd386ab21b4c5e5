import type { AgentConfig } from '../config/schema.js';
import type { AnyProbe } from '../probes/probe.js';
import { createProbes, type ProbeContext, type ProbeIo } from '../probes/registry.js';

/** The configured probes, built the same way for the agent and for the self-test. */
export function buildProbes(config: AgentConfig, io: ProbeIo, context: ProbeContext): AnyProbe[] {
  return createProbes(config, { ...io, ...context });
}
