import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sendError } from './api-error.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The dashboard's built files: `/` is index.html, `/assets/*` the rest. A path that leaves the
 * folder is refused; a missing folder answers 404 saying how to build it. Hashed assets are cached
 * for long, index.html never (it names the current ones).
 */
export function registerStaticFiles(app: FastifyInstance, dir: string | null): void {
  async function send(relative: string, reply: import('fastify').FastifyReply) {
    if (dir === null) {
      return sendError(reply, 404, 'no_dashboard', 'no dashboard is configured: build it (pnpm build) and restart');
    }
    // resolve() drops a trailing separator (dashboardAssetDir() gives one), so the check below holds.
    const root = resolve(dir);
    const path = normalize(join(root, relative));
    if (path !== root && !path.startsWith(root + sep)) return sendError(reply, 404, 'not_found', 'no such file');
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile()) {
      const rootInfo = await stat(root).catch(() => null);
      return rootInfo === null
        ? sendError(reply, 404, 'no_dashboard', `the dashboard is not built (${root} is missing): run pnpm build`)
        : sendError(reply, 404, 'not_found', 'no such file');
    }
    return reply
      .code(200)
      .header('content-type', TYPES[extname(path)] ?? 'application/octet-stream')
      .header('content-length', info.size)
      .header('cache-control', relative === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(path));
  }
  app.get('/', (_request, reply) => send('index.html', reply));
  app.get('/assets/*', (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    return send(join('assets', rest), reply);
  });
}
