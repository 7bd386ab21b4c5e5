import type { Readable } from 'node:stream';

/** Collects the JSON objects a child process writes one a line (its pino log); other lines are skipped. */
export function jsonLines(stream: Readable | null): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  stream?.on('data', (chunk) => {
    pending += String(chunk);
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) {
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed === 'object' && parsed !== null) lines.push(parsed as Record<string, unknown>);
      } catch {
        // Not a log line.
      }
    }
  });
  return lines;
}
