import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `pnpm fuzz`, bounded for CI: a fixed seed and number of cases through both decoders, within the
 * stated time and heap per message. A second run with an impossible time bound shows the fuzzer
 * fails as it says it does: exit 1, the seed, the case and its payload in hex.
 */
const FUZZ = fileURLToPath(new URL('../../bench/dist/fuzz.js', import.meta.url));

async function fuzz(args: string[]): Promise<{ code: number; lines: string[] }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [FUZZ, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, lines: stdout.trim().split('\n') };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? -1, lines: (e.stdout ?? '').trim().split('\n') };
  }
}

describe('pnpm fuzz', () => {
  it('passes 300 cases of a fixed seed: no throw, no disagreement, every message within its bounds', async () => {
    const { code, lines } = await fuzz(['--seed', '1', '--cases', '300']);
    const summary = JSON.parse(lines.at(-1) ?? '{}') as { fuzz?: string; cases?: number; casesByStrategy?: object };
    expect(code, lines.slice(-8).join('\n')).toBe(0);
    expect(summary).toMatchObject({ fuzz: 'passed', cases: 300 });
    expect(Object.keys(summary.casesByStrategy ?? {})).toEqual(
      expect.arrayContaining(['valid', 'bytes', 'columnar', 'json']),
    );
  }, 120_000);

  it('fails on a message over its bound, printing the seed, the case and the payload', async () => {
    const { code, lines } = await fuzz(['--seed', '5', '--cases', '20', '--max-ms', '0']);
    expect(code).toBe(1);
    expect(lines[1]).toMatch(/^FAILED \(slow\) at case 0 of seed 5/);
    expect(lines.find((l) => l.includes('payload ('))).toMatch(/payload \(\d+ bytes\): [0-9a-f]+$/);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ fuzz: 'failed', seed: 5, index: 0, kind: 'slow' });
  }, 120_000);
});
