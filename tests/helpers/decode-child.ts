import { fileURLToPath } from 'node:url';
import { runWithInput } from './run-with-input.js';

const COLLECTOR = fileURLToPath(new URL('../../collector/dist/index.js', import.meta.url));

/** What a child process made of one payload. */
export interface ChildVerdict {
  readonly ok: boolean;
  readonly code: string | null;
  readonly cpuMs: number;
}

/**
 * Decodes payloads with the collector's decoder (the built one) in a child process whose heap is
 * capped at `heapMb`, so a payload that exhausts memory kills the child, not the test run. Resolves
 * with the child's exit code and one verdict per payload it finished.
 */
export async function decodeInChild(
  payloads: readonly { readonly kind: string; readonly hex: string }[],
  heapMb: number,
): Promise<{ exitCode: number | null; verdicts: ChildVerdict[]; stderr: string }> {
  const script = `
    const { decodeIngestPayload } = await import(${JSON.stringify(COLLECTOR)});
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    for (const { kind, hex } of JSON.parse(input)) {
      const before = process.cpuUsage();
      const r = decodeIngestPayload(kind, Buffer.from(hex, 'hex'), 256 * 1024, { siteId: 'kutim-sangatta-01' });
      const used = process.cpuUsage(before);
      const cpuMs = (used.user + used.system) / 1000;
      process.stdout.write(JSON.stringify({ ok: r.ok, code: r.ok ? null : r.code, cpuMs }) + '\\n');
    }`;
  const { exitCode, stdout, stderr } = await runWithInput(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, '--input-type=module', '-e', script],
    JSON.stringify(payloads),
  );
  const verdicts = stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ChildVerdict);
  return { exitCode, verdicts, stderr: stderr.slice(-2000) };
}
