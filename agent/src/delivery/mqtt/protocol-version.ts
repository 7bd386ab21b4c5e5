import type { Logger } from '@pantau/shared';

/** CONNACK return code 1 (MQTT 3.1.1 §3.2.2.3), which mqtt.js gives as the error's `code`. */
const UNACCEPTABLE_PROTOCOL_VERSION = 1;

/**
 * Which MQTT version the next connection attempt speaks: MQTT 5 until a broker refuses it. A 3.1.1
 * broker (the collector's embedded aedes) answers CONNACK "unacceptable protocol version"; from
 * then on the agent speaks 3.1.1, and that refusal is not a failure to back off from.
 */
export interface ProtocolVersion {
  readonly current: 4 | 5;
  /**
   * Hears a connection error before any CONNACK was accepted. True when it was the refusal of
   * MQTT 5: the next attempt speaks 3.1.1 and may start at once.
   */
  refused(code: number | null): boolean;
}

export function createProtocolVersion(log: Logger, initial: 4 | 5 = 5): ProtocolVersion {
  let current: 4 | 5 = initial;
  return {
    get current() {
      return current;
    },
    refused(code) {
      if (current !== 5 || code !== UNACCEPTABLE_PROTOCOL_VERSION) return false;
      current = 4;
      log.info({ event: 'mqtt_downgrade' }, 'the broker does not speak MQTT 5: using MQTT 3.1.1');
      return true;
    },
  };
}
