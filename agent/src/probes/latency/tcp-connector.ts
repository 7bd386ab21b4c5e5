import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { fail, ok, type Result } from '@pantau/shared';
import type { Clock } from '../../clock.js';

export type TcpErrorCode = 'tcp_refused' | 'tcp_timeout' | 'tcp_unreachable' | 'tcp_failed';

export interface ConnectRequest {
  /** An address (resolve names first with `resolve`, so DNS time is not counted as connect time). */
  readonly address: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** The IO edge for TCP-connect timing: node:net in production, a fake in unit tests. */
export interface Connector {
  resolve(host: string): Promise<Result<string, 'host_unresolved'>>;
  /** Opens a connection, closes it at once, and says how long the handshake took. */
  connect(request: ConnectRequest): Promise<Result<{ readonly connectMs: number }, TcpErrorCode>>;
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** Resolves a name to one address (node's dns.lookup, i.e. getaddrinfo, by default). */
export type Lookup = (host: string) => Promise<{ readonly address: string }>;

export function createNetConnector(clock: Clock, resolveName: Lookup = (host) => lookup(host)): Connector {
  return {
    async resolve(host) {
      if (isIP(host) !== 0) return ok(host);
      try {
        return ok((await resolveName(host)).address);
      } catch (error) {
        return fail('host_unresolved', `cannot resolve ${host}: ${(error as Error).message}`);
      }
    },
    connect({ address, port, timeoutMs, signal }) {
      return new Promise((resolve) => {
        const socket = new Socket();
        const startedMs = clock.monotonicMs();
        let settled = false;
        const finish = (result: Result<{ readonly connectMs: number }, TcpErrorCode>) => {
          if (settled) return;
          settled = true;
          cancelTimer();
          signal?.removeEventListener('abort', onAbort);
          // end() sends our FIN; destroy() frees the socket whatever state it is in.
          socket.end();
          socket.destroy();
          resolve(result);
        };
        const onAbort = () => finish(fail('tcp_timeout', 'aborted'));
        const cancelTimer = clock.setTimer(timeoutMs, () =>
          finish(fail('tcp_timeout', `no answer from ${address}:${port} in ${timeoutMs} ms`)),
        );
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        socket.once('connect', () => finish(ok({ connectMs: clock.monotonicMs() - startedMs })));
        socket.once('error', (error: NodeJS.ErrnoException) => {
          const code = error.code ?? '';
          if (code === 'ECONNREFUSED') return finish(fail('tcp_refused', `${address}:${port} refused the connection`));
          if (code === 'ETIMEDOUT') return finish(fail('tcp_timeout', error.message));
          finish(fail(UNREACHABLE.has(code) ? 'tcp_unreachable' : 'tcp_failed', error.message));
        });
        socket.connect({ host: address, port });
      });
    },
  };
}
