import type { Readable } from 'node:stream';

/** Calls `onLine` with each complete line a stream writes (a child process's output). */
export function eachLine(stream: Readable | null, onLine: (line: string) => void): void {
  let pending = '';
  stream?.on('data', (chunk) => {
    pending += String(chunk);
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) onLine(line);
  });
}

/** The line as a JSON object (a pino log line), or null for any other line. */
export function jsonObject(line: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Collects the JSON objects a child process writes one a line (its pino log); other lines are skipped. */
export function jsonLines(stream: Readable | null): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  eachLine(stream, (line) => {
    const parsed = jsonObject(line);
    if (parsed !== null) lines.push(parsed);
  });
  return lines;
}
