import type { Connector, TcpErrorCode } from './tcp-connector.js';

export interface TcpPingRequest {
  readonly host: string;
  readonly port: number;
  readonly count: number;
  readonly timeoutMs: number;
}

/** A run of TCP connects: like an ICMP run, `sent` attempts and the times of those that connected. */
export type TcpPingOutcome =
  | {
      readonly ok: true;
      readonly sent: number;
      readonly rttsMs: readonly number[];
      /** The code of the last failed attempt, if any failed. */
      readonly lastFailure: TcpErrorCode | null;
    }
  | { readonly ok: false; readonly code: 'host_unresolved'; readonly message: string };

/**
 * `count` connection attempts one after another (a burst of SYNs to one port could look like a
 * scan to a firewall), each bounded by `timeoutMs`. A failed attempt counts as a lost echo. The
 * name is resolved once, so DNS time never counts as connect time.
 */
export async function tcpPing(
  connector: Connector,
  request: TcpPingRequest,
  signal: AbortSignal,
): Promise<TcpPingOutcome> {
  const resolved = await connector.resolve(request.host);
  if (!resolved.ok) return resolved;
  const rttsMs: number[] = [];
  let sent = 0;
  let lastFailure: TcpErrorCode | null = null;
  for (let i = 0; i < request.count && !signal.aborted; i++) {
    sent += 1;
    const attempt = await connector.connect({
      address: resolved.value,
      port: request.port,
      timeoutMs: request.timeoutMs,
      signal,
    });
    if (attempt.ok) rttsMs.push(attempt.value.connectMs);
    else lastFailure = attempt.code;
  }
  return { ok: true, sent, rttsMs, lastFailure };
}
