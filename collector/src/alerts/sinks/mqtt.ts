import { alertTopic, encodePayload } from '@pantau/shared';
import type { AlertSink } from './sink.js';

/** Publishes one message; resolves once the broker has it (QoS 1 PUBACK). */
export interface AlertPublisher {
  publish(topic: string, payload: Buffer, options: { readonly qos: 1; readonly retain: true }): Promise<void>;
}

/** Retained per-site alert state on `<root>/alert/<site>/<kind>` (docs/protocol.md, "Alert"). */
export function createMqttAlertSink(topicRoot: string, publisher: AlertPublisher): AlertSink {
  return {
    name: 'mqtt',
    async send(n) {
      if (n.alert === null) return { ok: true };
      try {
        await publisher.publish(alertTopic(topicRoot, n.alert.siteId, n.alert.kind), encodePayload('alert', n.alert), {
          qos: 1,
          retain: true,
        });
        return { ok: true };
      } catch (error) {
        return { ok: false, retryable: true, error: `publish_failed: ${(error as Error).message}` };
      }
    },
  };
}
