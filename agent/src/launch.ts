import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How the `pantau-agent` bin starts: its script (agent/bin/pantau-agent.js), and what its shebang sets. */
export interface AgentLaunch {
  readonly mainPath: string;
  /** `NAME=value` assignments of the shebang. */
  readonly env: Readonly<Record<string, string>>;
  /** Node flags of the shebang (`--lite-mode`, heap sizes). */
  readonly flags: readonly string[];
}

/**
 * Reads the bin's shebang (`#!/usr/bin/env -S NAME=value node --flag ...`), so a program that starts
 * the agent with its own `node` (the demo, bench:agent) starts it as it ships, with the memory flags
 * the footprint is measured with.
 */
export function shippedAgentLaunch(): AgentLaunch {
  const mainPath = fileURLToPath(new URL('../bin/pantau-agent.js', import.meta.url));
  const words = (readFileSync(mainPath, 'utf8').split('\n', 1)[0] ?? '').split(' ').slice(2);
  const env: Record<string, string> = {};
  for (const word of words.filter((w) => /^[A-Z_]+=/.test(w))) {
    const at = word.indexOf('=');
    env[word.slice(0, at)] = word.slice(at + 1);
  }
  return { mainPath, env, flags: words.filter((word) => word.startsWith('--')) };
}
