import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadPlaces } from '../fleet/index.js';
import { overview, siteDetail } from './fixture-answers.js';
import { type FixtureFleet, type FixtureSite, sortSites } from './fixture-fleet.js';
import { fixtureCompleteness, fixtureSeries } from './fixture-series.js';
import { HttpError, numberParam, readJson, sendFile } from './http-io.js';

/**
 * A stand-in for the collector's HTTP API (docs/dashboard.md lists the routes the dashboard uses),
 * answering from a fixture fleet and serving the built dashboard: enough for the dashboard's browser
 * test and first-load benchmark to run before, and independently of, the real server. Writes change
 * the fixture at once (the real collector queues an acknowledgement for its evaluator).
 */
export interface StandInUser {
  readonly name: string;
  readonly role: 'viewer' | 'admin';
  readonly password: string;
}

export interface StandInOptions {
  readonly assetDir: string;
  readonly fleet: FixtureFleet;
  /** `demo`: anyone is admin; `closed`: log in first. */
  readonly access: 'demo' | 'closed';
  readonly users?: readonly StandInUser[];
}

export interface StandInServer {
  readonly url: string;
  readonly fleet: FixtureFleet;
  /** Every write the API accepted, as the audit log would list it. */
  readonly writes: { user: string; action: string; target: string; body: unknown }[];
  /** Changes a site's state and tells every `/api/events` listener, as the collector does. */
  pushState(
    siteId: string,
    patch: Partial<Pick<FixtureSite, 'state' | 'kinds' | 'cause' | 'sinceMs' | 'needsAction'>>,
  ): void;
  close(): Promise<void>;
}

interface Session {
  readonly user: string;
  readonly role: 'viewer' | 'admin';
  readonly csrfToken: string | null;
}

const TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json',
  txt: 'text/plain; charset=utf-8',
};

export async function startStandInServer(options: StandInOptions): Promise<StandInServer> {
  const { fleet } = options;
  const sessions = new Map<string, Session>();
  const streams = new Set<ServerResponse>();
  const writes: StandInServer['writes'] = [];
  const controls = { silences: [] as Record<string, unknown>[], maintenance: [] as Record<string, unknown>[] };
  const areas = loadPlaces().kabupaten.map((k) => ({
    kabupatenCode: k.code,
    kabupaten: k.name,
    kecamatan: k.kecamatan.map((c) => ({ code: c.code, name: c.name })),
  }));
  const now = () => fleet.nowMs;

  const sessionOf = (req: IncomingMessage): Session | null => {
    const token = /(?:^|;\s*)pantau_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const session = token === undefined ? undefined : sessions.get(token);
    if (session !== undefined) return session;
    return options.access === 'demo' ? { user: 'demo', role: 'admin', csrfToken: null } : null;
  };
  const requireSession = (req: IncomingMessage): Session => {
    const session = sessionOf(req);
    if (session === null) throw new HttpError(401, 'unauthenticated', 'log in first (POST /api/login)');
    return session;
  };
  const requireAdmin = (req: IncomingMessage): Session => {
    const session = requireSession(req);
    if (session.role !== 'admin') throw new HttpError(403, 'forbidden', 'only an admin may do this');
    if (session.csrfToken !== null && req.headers['x-csrf-token'] !== session.csrfToken) {
      throw new HttpError(403, 'csrf', 'send the x-csrf-token header from /api/me');
    }
    return session;
  };
  const site = (siteId: string): FixtureSite => {
    const found = fleet.sites.find((s) => s.siteId === siteId);
    if (found === undefined) throw new HttpError(404, 'unknown_site', `no site ${siteId}`);
    return found;
  };

  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<unknown> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const q = url.searchParams;
    if (method === 'GET' && path === '/healthz') return { ok: true };
    if (method === 'POST' && path === '/api/login') {
      const body = (await readJson(req)) as { user?: unknown; password?: unknown };
      const user = (options.users ?? []).find((u) => u.name === body.user && u.password === body.password);
      if (user === undefined) throw new HttpError(401, 'bad_credentials', 'check the user name and password');
      const token = randomBytes(18).toString('base64url');
      const session: Session = { user: user.name, role: user.role, csrfToken: randomBytes(18).toString('base64url') };
      sessions.set(token, session);
      res.setHeader('set-cookie', `pantau_session=${token}; HttpOnly; SameSite=Strict; Path=/`);
      return { user: session.user, role: session.role, csrfToken: session.csrfToken };
    }
    if (method === 'POST' && path === '/api/logout') {
      const token = /(?:^|;\s*)pantau_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (token !== undefined) sessions.delete(token);
      res.setHeader('set-cookie', 'pantau_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
      return { ok: true };
    }
    const session = requireSession(req);
    if (method === 'GET' && path === '/api/me') return { ...session, demo: options.access === 'demo' };
    if (method === 'GET' && path === '/api/overview') return overview(fleet.sites, areas, q, now());
    if (method === 'GET' && path === '/api/events') return openStream(res, streams);
    const siteMatch = /^\/api\/sites\/([^/]+)(\/series|\/completeness)?$/.exec(path);
    if (method === 'GET' && siteMatch !== null) {
      const s = site(decodeURIComponent(siteMatch[1] ?? ''));
      const toMs = numberParam(q, 'toMs') ?? now();
      if (siteMatch[2] === '/series') {
        const grain = q.get('grain') === 'day' ? 'day' : 'hour';
        return fixtureSeries(s, fleet.seed, numberParam(q, 'fromMs') ?? toMs - 7 * 86_400_000, toMs, grain);
      }
      if (siteMatch[2] === '/completeness') {
        return fixtureCompleteness(s, fleet.seed, numberParam(q, 'fromMs') ?? toMs - 30 * 86_400_000, toMs);
      }
      return siteDetail(s, fleet);
    }
    if (method === 'GET' && path === '/api/alerts')
      return { alerts: fleet.alerts.filter((a) => q.get('open') !== 'true' || a.phase !== 'resolved') };
    if (method === 'GET' && path === '/api/incidents') return { incidents: fleet.incidents };
    if (method === 'GET' && path === '/api/silences') return controls;
    if (method === 'POST' && path === '/api/alerts/ack') {
      const admin = requireAdmin(req);
      const body = (await readJson(req)) as { key?: unknown; note?: unknown };
      const alert = fleet.alerts.find((a) => a.key === body.key);
      if (alert === undefined) throw new HttpError(404, 'unknown_alert', 'no open alert with that key');
      Object.assign(alert, {
        ackBy: admin.user,
        ackMs: now(),
        ackNote: typeof body.note === 'string' ? body.note : '',
      });
      const s = fleet.sites.find((x) => x.siteId === alert.siteId);
      if (s !== undefined && fleet.alerts.every((a) => a.siteId !== s.siteId || a.ackBy !== null))
        s.needsAction = false;
      writes.push({ user: admin.user, action: 'ack', target: alert.key, body });
      res.statusCode = 202;
      return { queued: true };
    }
    if (method === 'POST' && (path === '/api/silences' || path === '/api/maintenance')) {
      const admin = requireAdmin(req);
      const body = (await readJson(req)) as Record<string, unknown>;
      const id = `${path === '/api/silences' ? 'silence' : 'maintenance'}-${writes.length + 1}`;
      const list = path === '/api/silences' ? controls.silences : controls.maintenance;
      list.push({ ...body, id, by: admin.user, kinds: body.kinds ?? [] });
      writes.push({ user: admin.user, action: path.slice(5), target: id, body });
      res.statusCode = 201;
      return { id };
    }
    const endMatch = /^\/api\/controls\/([^/]+)\/end$/.exec(path);
    if (method === 'POST' && endMatch !== null) {
      const admin = requireAdmin(req);
      const id = decodeURIComponent(endMatch[1] ?? '');
      const control = [...controls.silences, ...controls.maintenance].find((c) => c.id === id);
      if (control === undefined) throw new HttpError(404, 'unknown_control', 'no such silence or maintenance window');
      control.endsMs = now();
      writes.push({ user: admin.user, action: 'end', target: id, body: {} });
      return { ok: true };
    }
    throw new HttpError(404, 'not_found', `no route ${method} ${path}`);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const done = async () => {
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
        return sendFile(res, join(options.assetDir, 'index.html'), 'text/html; charset=utf-8', 'no-cache');
      }
      const asset = /^\/assets\/([\w.-]+)$/.exec(url.pathname)?.[1];
      if (req.method === 'GET' && asset !== undefined && !asset.startsWith('.')) {
        const type = TYPES[asset.split('.').pop() ?? ''] ?? 'application/octet-stream';
        return sendFile(res, join(options.assetDir, 'assets', asset), type, 'public, max-age=31536000, immutable');
      }
      res.setHeader('cache-control', 'no-store');
      try {
        const body = await routes(req, res, url);
        if (body === STREAMING) return;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(body));
      } catch (error) {
        const e = error instanceof HttpError ? error : new HttpError(500, 'internal', String(error));
        res.statusCode = e.status;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: e.code, message: e.message }));
      }
    };
    done().catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': heartbeat\n\n');
  }, 15_000);

  return {
    url: `http://127.0.0.1:${port}`,
    fleet,
    writes,
    pushState(siteId, patch) {
      const s = site(siteId);
      Object.assign(s, patch);
      const sorted = sortSites(fleet.sites);
      fleet.sites.splice(0, fleet.sites.length, ...sorted);
      const data = JSON.stringify({ siteId, state: s.state, kinds: s.kinds, cause: s.cause, sinceMs: s.sinceMs });
      for (const stream of streams) stream.write(`event: state\ndata: ${data}\n\n`);
    },
    async close() {
      clearInterval(heartbeat);
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const STREAMING = Symbol('streaming');

function openStream(res: ServerResponse, streams: Set<ServerResponse>): typeof STREAMING {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': connected\n\n');
  streams.add(res);
  res.on('close', () => streams.delete(res));
  return STREAMING;
}
