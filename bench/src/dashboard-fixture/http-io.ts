import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An expected failure of a request: its status and the API's stable error code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const BODY_LIMIT_BYTES = 64 * 1024;

export async function sendFile(res: ServerResponse, path: string, type: string, cacheControl: string): Promise<void> {
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': type, 'cache-control': cacheControl, 'content-length': body.length });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found (run pnpm build: it builds the dashboard)');
  }
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw new HttpError(413, 'too_large', 'send at most 64 KiB');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'bad_json', 'send a JSON body');
  }
}

export function numberParam(q: URLSearchParams, name: string): number | undefined {
  const value = Number(q.get(name));
  return q.get(name) !== null && Number.isFinite(value) ? value : undefined;
}
