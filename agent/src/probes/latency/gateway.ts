import { fail, ok, type Result } from '@pantau/shared';
import type { FileReader } from '../../host/file-reader.js';

/**
 * The IPv4 default gateway from a `/proc/net/route` table: the row whose Destination and Mask are
 * 00000000 and whose flags have RTF_GATEWAY (0x2) and RTF_UP (0x1). Addresses are hex in host byte
 * order, which is little-endian on the Pi and on x86: `0101A8C0` is 192.168.1.1. The lowest metric
 * wins when there are several.
 */
export function parseDefaultGateway(routeTable: string): string | null {
  let best: { address: string; metric: number } | null = null;
  for (const line of routeTable.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const [, destination, gatewayHex, flagsHex, , , metricText, mask] = fields;
    if (destination !== '00000000' || mask !== '00000000' || gatewayHex === undefined) continue;
    const flags = Number.parseInt(flagsHex ?? '0', 16);
    if ((flags & 0x3) !== 0x3 || !/^[0-9A-Fa-f]{8}$/.test(gatewayHex) || gatewayHex === '00000000') continue;
    const metric = Number.parseInt(metricText ?? '0', 10);
    const address = littleEndianHexToIpv4(gatewayHex);
    if (best === null || metric < best.metric) best = { address, metric };
  }
  return best?.address ?? null;
}

function littleEndianHexToIpv4(hex: string): string {
  const octets = [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return octets.join('.');
}

export interface GatewayDetector {
  detect(): Promise<Result<string, 'gateway_unknown'>>;
}

/** Reads `<procRoot>/net/route` (procRoot `/proc` on a real host, a fake tree in tests). */
export function createGatewayDetector(files: FileReader, procRoot = '/proc'): GatewayDetector {
  const path = `${procRoot}/net/route`;
  return {
    async detect() {
      let text: string;
      try {
        text = await files.readText(path);
      } catch (error) {
        return fail('gateway_unknown', `cannot read ${path}: ${(error as Error).message}`);
      }
      const gateway = parseDefaultGateway(text);
      return gateway === null ? fail('gateway_unknown', `no default route with a gateway in ${path}`) : ok(gateway);
    },
  };
}
