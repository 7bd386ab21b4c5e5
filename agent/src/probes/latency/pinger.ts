import ping from 'ping';

/** What one run of ICMP echoes to a host gave. */
export type PingOutcome =
  | { readonly ok: true; readonly sent: number; readonly rttsMs: readonly number[] }
  | { readonly ok: false; readonly code: 'ping_missing' | 'host_unresolved' | 'ping_failed'; readonly message: string };

export interface PingRequest {
  readonly host: string;
  readonly count: number;
  readonly timeoutMs: number;
}

/** The IO edge for ICMP: the system `ping` binary in production, a fake in unit tests. */
export interface Pinger {
  ping(request: PingRequest): Promise<PingOutcome>;
}

/** Uses the `ping` package, which runs the system `ping` (Debian: iputils-ping). */
export function createSystemPinger(): Pinger {
  return {
    async ping({ host, count, timeoutMs }) {
      const timeoutSec = Math.max(1, Math.ceil(timeoutMs / 1000));
      let response: ping.PingResponse;
      try {
        response = await ping.promise.probe(host, {
          min_reply: count,
          timeout: timeoutSec,
          // iputils sends one echo a second: the deadline bounds the whole run.
          deadline: count + timeoutSec,
        });
      } catch (error) {
        // The package rejects only when the binary cannot be started.
        return { ok: false, code: 'ping_missing', message: (error as Error).message };
      }
      // Without its "N packets transmitted" summary, ping never got to send: say why.
      const sent = sentCount(response.output);
      if (sent === null) {
        const unresolved = /unknown host|Name or service not known|Temporary failure in name resolution/i.test(
          response.output,
        );
        return unresolved
          ? { ok: false, code: 'host_unresolved', message: `cannot resolve ${host}` }
          : { ok: false, code: 'ping_failed', message: firstLine(response.output) };
      }
      return { ok: true, sent, rttsMs: response.times };
    },
  };
}

/** iputils prints "3 packets transmitted, 2 received, ...". */
function sentCount(output: string): number | null {
  const match = /(\d+) packets transmitted/.exec(output);
  return match?.[1] === undefined ? null : Number.parseInt(match[1], 10);
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? 'ping gave no output';
}
