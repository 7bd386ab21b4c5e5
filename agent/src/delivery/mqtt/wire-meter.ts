/** Socket byte counters, as `MqttLink.socketBytes()` gives them. */
export interface SocketBytes {
  readonly txBytes: number;
  readonly rxBytes: number;
}

/**
 * The agent's own bytes on the link, from the socket counters of each connection in turn: the
 * meter remembers what it has seen of each socket, so a new connection starts from zero and a
 * closed one is counted to its last byte.
 */
export interface WireMeter {
  /** Reads a connection's counters; `source` tells one connection from the next. */
  observe(source: object, bytes: SocketBytes): void;
  /** Bytes observed since the last call. */
  take(): SocketBytes;
}

export function createWireMeter(): WireMeter {
  let seen: { source: object | null; txBytes: number; rxBytes: number } = { source: null, txBytes: 0, rxBytes: 0 };
  let pending = { txBytes: 0, rxBytes: 0 };
  return {
    observe(source, bytes) {
      if (seen.source !== source) seen = { source, txBytes: 0, rxBytes: 0 };
      pending.txBytes += Math.max(0, bytes.txBytes - seen.txBytes);
      pending.rxBytes += Math.max(0, bytes.rxBytes - seen.rxBytes);
      seen = { source, txBytes: bytes.txBytes, rxBytes: bytes.rxBytes };
    },
    take() {
      const taken = pending;
      pending = { txBytes: 0, rxBytes: 0 };
      return taken;
    },
  };
}
