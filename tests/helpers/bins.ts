import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const AGENT_MAIN = `${root}agent/dist/main.js`;
export const COLLECTOR_MAIN = `${root}collector/dist/main.js`;

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a built program (`pnpm test` builds first) to completion. */
export async function runBin(
  main: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [main, ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd ?? root,
      timeout: options.timeoutMs ?? 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * Environment every agent a test starts must have: gateway detection would ping this machine's
 * real default gateway, and tests touch only loopback and their own namespaces.
 */
export const LOOPBACK_ONLY_AGENT_ENV = { PANTAU_LATENCY_DETECT_GATEWAY: 'false' } as const;
