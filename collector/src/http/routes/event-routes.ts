import type { ServerResponse } from 'node:http';
import type { Logger } from '@pantau/shared';
import type { Every } from '../../collector.js';
import { sendError } from '../api-error.js';
import type { OverviewRow } from '../overview/overview-row.js';
import type { OverviewCache } from '../overview/overview-snapshot.js';
import { type RouteDef, route } from '../route.js';

export interface EventRouteDeps {
  readonly overview: OverviewCache;
  readonly every: Every;
  readonly pollMs: number;
  readonly heartbeatMs: number;
  readonly maxClients: number;
  readonly log: Logger;
}

type StateLine = Pick<OverviewRow, 'siteId' | 'state' | 'kinds' | 'cause' | 'sinceMs'>;

const keyOf = (r: StateLine) => `${r.state}|${r.kinds.join(',')}|${r.cause}|${r.sinceMs}`;

/**
 * `GET /api/events`: Server-Sent Events, `event: state` for each site whose overview state changed.
 * One poller for all clients compares snapshots (so a thousand open dashboards cost one read), and
 * runs only while a client listens; clients past `maxClients` are told to poll instead (503).
 */
export function eventRoutes(deps: EventRouteDeps): { routes: RouteDef[]; close(): void } {
  const clients = new Set<ServerResponse>();
  let previous: Map<string, string> | null = null;
  let stopTimers: (() => void) | null = null;
  let polling = false;

  const broadcast = (text: string) => {
    for (const res of clients) if (!res.destroyed) res.write(text);
  };

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const snap = await deps.overview.snapshot();
      const next = new Map(snap.rows.map((r) => [r.siteId, keyOf(r)]));
      if (previous !== null) {
        let out = '';
        for (const r of snap.rows) {
          if (previous.get(r.siteId) === next.get(r.siteId)) continue;
          const data: StateLine = {
            siteId: r.siteId,
            state: r.state,
            kinds: r.kinds,
            cause: r.cause,
            sinceMs: r.sinceMs,
          };
          out += `event: state\ndata: ${JSON.stringify(data)}\n\n`;
        }
        if (out !== '') broadcast(out);
      }
      previous = next;
    } catch (error) {
      deps.log.warn({ event: 'events_poll_failed', err: error }, 'site states not compared; retrying');
    } finally {
      polling = false;
    }
  }

  function start(): void {
    if (stopTimers !== null) return;
    const stopPoll = deps.every(deps.pollMs, () => void poll());
    const stopBeat = deps.every(deps.heartbeatMs, () => broadcast(': heartbeat\n\n'));
    stopTimers = () => {
      stopPoll();
      stopBeat();
    };
    void poll();
  }

  function stop(): void {
    stopTimers?.();
    stopTimers = null;
    previous = null;
  }

  const events = route({
    method: 'GET',
    url: '/api/events',
    tag: 'fleet',
    summary: 'Server-Sent Events: `state` when a site changes state; a heartbeat comment every 15 s',
    access: 'viewer',
    response: { status: 200, contentType: 'text/event-stream' },
    handler({ reply }) {
      if (clients.size >= deps.maxClients) {
        return sendError(reply, 503, 'busy', 'too many event streams: poll /api/overview instead');
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 5000\n: connected\n\n');
      clients.add(res);
      res.once('close', () => {
        clients.delete(res);
        if (clients.size === 0) stop();
      });
      start();
      return undefined;
    },
  });

  return {
    routes: [events],
    close() {
      stop();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
