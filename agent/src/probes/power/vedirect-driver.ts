import type { Clock } from '../../clock.js';
import type { PowerDriver } from './power-values.js';
import { readFailed } from './power-values.js';
import { createSerialKeeper } from './serial-keeper.js';
import type { SerialPortOpener } from './serial-port.js';
import { veDirectValues } from './vedirect-mapping.js';
import { createVeDirectParser } from './vedirect-parser.js';

export interface VeDirectDriverOptions {
  readonly path: string;
  readonly baudRate: number;
  /** The newest valid block is reported while it is at most this old. */
  readonly maxAgeMs: number;
  /** How long one read waits for a block when it has none fresh (e.g. just after opening). */
  readonly waitMs: number;
}

/**
 * Listens to a VE.Direct charger all the time (the port stays open between cycles) and reports the
 * newest block with a good checksum. A silent or lost port is dropped and opened again next cycle.
 */
export function createVeDirectDriver(
  opener: SerialPortOpener,
  clock: Clock,
  options: VeDirectDriverOptions,
): PowerDriver {
  const parser = createVeDirectParser();
  let latest: { fields: ReadonlyMap<string, string>; atMs: number } | null = null;
  let lastBadAtMs: number | null = null;
  let waiters: (() => void)[] = [];

  const keeper = createSerialKeeper(opener, { path: options.path, baudRate: options.baudRate }, (chunk) => {
    for (const event of parser.push(chunk)) {
      if (event.kind === 'block') {
        latest = { fields: event.fields, atMs: clock.monotonicMs() };
        const woken = waiters;
        waiters = [];
        for (const wake of woken) wake();
      } else {
        lastBadAtMs = clock.monotonicMs();
      }
    }
  });

  function fresh() {
    return latest !== null && clock.monotonicMs() - latest.atMs <= options.maxAgeMs ? latest : null;
  }

  /** Resolves when a block arrives, `ms` pass or `signal` aborts, whichever is first. */
  function waitForBlock(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const cancel = clock.setTimer(ms, done);
      signal.addEventListener('abort', done, { once: true });
      waiters.push(done);
      function done() {
        cancel();
        signal.removeEventListener('abort', done);
        waiters = waiters.filter((w) => w !== done);
        resolve();
      }
    });
  }

  return {
    async read(signal) {
      const port = await keeper.get();
      if (!port.ok) return readFailed(port.code, port.message);
      if (fresh() === null && keeper.lost().ok) await waitForBlock(options.waitMs, signal);
      // A port that went away (cable pulled) says so, even while its last block is still fresh.
      const lost = keeper.lost();
      if (!lost.ok) {
        await keeper.drop();
        return readFailed(lost.code, lost.message);
      }
      const block = fresh();
      if (block !== null) return { values: veDirectValues(block.fields), error: null };
      if (lastBadAtMs !== null && clock.monotonicMs() - lastBadAtMs <= options.maxAgeMs) {
        return readFailed('vedirect_bad_checksum', `${options.path}: only blocks with a bad checksum or garbage`);
      }
      // A port that says nothing may be a stuck USB adapter: open it afresh next cycle.
      await keeper.drop();
      return readFailed('vedirect_silent', `${options.path}: no VE.Direct block lately`);
    },
    stop: () => keeper.drop(),
  };
}
