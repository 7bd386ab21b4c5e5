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
export function runBin(
  main: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return runProgram(process.execPath, [main, ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd ?? root,
    timeoutMs: options.timeoutMs ?? 20_000,
  });
}

/** Runs any program to its end, its input empty; a non-zero exit is a value, not an exception. */
export async function runProgram(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<RunResult> {
  try {
    const running = promisify(execFile)(file, [...args], {
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    running.child.stdin?.end();
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? e.message ?? '',
    };
  }
}

/**
 * Environment every agent a test starts must have: gateway detection would ping this machine's
 * real default gateway, and tests touch only loopback and their own namespaces.
 */
export const LOOPBACK_ONLY_AGENT_ENV = { PANTAU_LATENCY_DETECT_GATEWAY: 'false' } as const;
