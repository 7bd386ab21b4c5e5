import type { Connector, ConnectRequest, LegResult, TcpErrorCode, ThroughputTransport } from '@pantau/agent';
import { fail, ok, type Result } from '@pantau/shared';

type Attempt = number | TcpErrorCode;

/** Answers connects from a script per address (a number is a connect time in ms, else a failure). */
export class FakeConnector implements Connector {
  readonly requests: ConnectRequest[] = [];
  private readonly scripts: Map<string, Attempt[]>;
  constructor(
    scripts: Record<string, Attempt[]>,
    private readonly names: Record<string, string> = {},
  ) {
    this.scripts = new Map(Object.entries(scripts).map(([k, v]) => [k, [...v]]));
  }
  async resolve(host: string): Promise<Result<string, 'host_unresolved'>> {
    if (/^[\d.]+$/.test(host)) return ok(host);
    const address = this.names[host];
    return address === undefined ? fail('host_unresolved', `cannot resolve ${host}`) : ok(address);
  }
  async connect(request: ConnectRequest): Promise<Result<{ readonly connectMs: number }, TcpErrorCode>> {
    this.requests.push(request);
    const next = this.scripts.get(request.address)?.shift() ?? 'tcp_timeout';
    return typeof next === 'number' ? ok({ connectMs: next }) : fail(next, `scripted ${next}`);
  }
}

/** A transport whose legs answer from the test; records how often each ran. */
export class FakeTransport implements ThroughputTransport {
  downloads = 0;
  uploads = 0;
  constructor(
    public down: LegResult | ((signal: AbortSignal) => Promise<LegResult>),
    public up: LegResult | ((signal: AbortSignal) => Promise<LegResult>),
  ) {}
  async download(signal: AbortSignal): Promise<LegResult> {
    this.downloads += 1;
    return typeof this.down === 'function' ? this.down(signal) : this.down;
  }
  async upload(signal: AbortSignal): Promise<LegResult> {
    this.uploads += 1;
    return typeof this.up === 'function' ? this.up(signal) : this.up;
  }
}

/** A /proc/net/route table as the kernel prints it (tab-separated, header first). */
export function routeTable(rows: readonly string[][]): string {
  const header = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT';
  return `${[header, ...rows.map((r) => r.join('\t'))].join('\n')}\n`;
}
