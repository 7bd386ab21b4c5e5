/** One IPv4 route from /proc/net/route. */
export interface RouteEntry {
  readonly iface: string;
  readonly isDefault: boolean;
  /** Gateway as dotted quad, or null for an on-link route. */
  readonly gateway: string | null;
  readonly metric: number;
}

/**
 * Parses /proc/net/route (tab-separated; addresses are little-endian hex: `010200C0` is 192.0.2.1).
 * Lines that do not parse are skipped.
 */
export function parseRoutes(text: string): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [iface, destination, gateway, , , , metric, mask] = line.trim().split(/\s+/);
    if (iface === undefined || destination === undefined || gateway === undefined || mask === undefined) continue;
    if (!/^[0-9A-Fa-f]{8}$/.test(destination) || !/^[0-9A-Fa-f]{8}$/.test(gateway)) continue;
    routes.push({
      iface,
      isDefault: Number.parseInt(destination, 16) === 0 && Number.parseInt(mask, 16) === 0,
      gateway: Number.parseInt(gateway, 16) === 0 ? null : hexToIpv4(gateway),
      metric: Number.parseInt(metric ?? '0', 10) || 0,
    });
  }
  return routes;
}

/** The interface of the default route with the lowest metric, or null when there is none. */
export function defaultRouteInterface(text: string): string | null {
  const defaults = parseRoutes(text)
    .filter((r) => r.isDefault)
    .sort((a, b) => a.metric - b.metric);
  return defaults[0]?.iface ?? null;
}

function hexToIpv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}
