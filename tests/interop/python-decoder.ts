import { fileURLToPath } from 'node:url';
import { runWithInput } from '../helpers/run-with-input.js';

/** One payload for the Python decoder to decode. */
export interface PythonRequest {
  readonly id: string;
  readonly siteId: string;
  readonly payloadHex: string;
}

export type PythonAnswer =
  | { readonly id: string; readonly ok: true; readonly batch: unknown }
  | { readonly id: string; readonly ok: false; readonly error: string };

const SCRIPT = fileURLToPath(new URL('./decode_columnar.py', import.meta.url));

/**
 * Runs tests/interop/decode_columnar.py (Debian's `python3`, standard library only) on every
 * request at once; its answers in request order, and the codings it saw in what it accepted.
 */
export async function decodeWithPython(
  requests: readonly PythonRequest[],
): Promise<{ answers: PythonAnswer[]; coverage: string[] }> {
  const input = requests.map((r) => JSON.stringify(r)).join('\n');
  const { exitCode, stdout, stderr } = await runWithInput('python3', [SCRIPT, '--jsonl', '--coverage'], input);
  if (exitCode !== 0) throw new Error(`decode_columnar.py exited ${exitCode}: ${stderr}`);
  const lines = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const last = lines.pop() as { coverage?: string[] };
  return { answers: lines as unknown as PythonAnswer[], coverage: last.coverage ?? [] };
}
