/** Bytes moved in each direction since the last `take()`. */
export interface TrafficTally {
  readonly rxBytes: number;
  readonly txBytes: number;
}

/**
 * Counts the agent's own traffic (MQTT, probes) so the usage probe can report it apart from the
 * clients' (client traffic = total - agent). The publisher feeds it; the usage probe drains it once
 * per sample. Counts saturate at Number.MAX_SAFE_INTEGER rather than lose precision.
 */
export interface TrafficMeter {
  addRx(bytes: number): void;
  addTx(bytes: number): void;
  /** The bytes counted since the previous call (or since creation), and starts a new tally. */
  take(): TrafficTally;
}

export function createTrafficMeter(): TrafficMeter {
  let rxBytes = 0;
  let txBytes = 0;
  return {
    addRx(bytes) {
      rxBytes = add(rxBytes, bytes);
    },
    addTx(bytes) {
      txBytes = add(txBytes, bytes);
    },
    take() {
      const tally = { rxBytes, txBytes };
      rxBytes = 0;
      txBytes = 0;
      return tally;
    },
  };
}

/** Ignores anything that is not a whole, positive byte count: a caller's bug must not poison a total. */
function add(total: number, bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) return total;
  return Math.min(Number.MAX_SAFE_INTEGER, total + bytes);
}
