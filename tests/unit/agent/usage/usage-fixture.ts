import type { Logger } from '@pantau/shared';
import {
  createInterfaceCounterSource,
  defaultInterfaceCounterPaths,
} from '../../../../agent/src/probes/usage/interface-counters.js';
import { createRateSampler, type RateSamplerOptions } from '../../../../agent/src/probes/usage/rate-sampler.js';
import { FakeClock, fakeFiles, silentLogger } from '../../../helpers/fakes.js';

export const BOOT_A = '0a079090-f72f-4c7a-b148-233a16d6f73a';
export const ROUTES = [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'eth1\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
  'eth1\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
  '',
].join('\n');

/** A fake /sys and /proc whose counters the test moves, and a rate sampler over them. */
export function usageFixture(options: Partial<RateSamplerOptions> & { interface?: string | null; log?: Logger } = {}) {
  const tree: Record<string, string> = {
    '/proc/net/route': ROUTES,
    '/proc/sys/kernel/random/boot_id': `${BOOT_A}\n`,
  };
  const clock = new FakeClock();
  const files = fakeFiles(tree);
  const source = createInterfaceCounterSource({
    files,
    paths: defaultInterfaceCounterPaths,
    interface: options.interface === undefined ? null : options.interface,
  });
  const sampler = createRateSampler({
    source,
    clock,
    log: options.log ?? silentLogger(),
    options: {
      counterBits: options.counterBits ?? 64,
      samplePeriodMs: options.samplePeriodMs ?? 5000,
      maxBitsPerSec: options.maxBitsPerSec ?? 1e9,
    },
  });
  function setCounters(rx: bigint | string, tx: bigint | string, iface = 'eth1') {
    tree[`/sys/class/net/${iface}/statistics/rx_bytes`] = `${rx}\n`;
    tree[`/sys/class/net/${iface}/statistics/tx_bytes`] = `${tx}\n`;
  }
  function removeInterface(iface = 'eth1') {
    delete tree[`/sys/class/net/${iface}/statistics/rx_bytes`];
    delete tree[`/sys/class/net/${iface}/statistics/tx_bytes`];
  }
  /** Sets what the counters will read at the end of `ms`, then lets the time (and the sub-samples) pass. */
  async function advance(ms: number) {
    clock.advance(ms);
    await settle();
  }
  return { tree, clock, files, source, sampler, setCounters, removeInterface, advance };
}

/** Lets the promise chains a fired timer started run to their end. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export const signal = new AbortController().signal;
