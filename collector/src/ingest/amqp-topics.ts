import { siteTopicFilter } from '@pantau/shared';

/**
 * RabbitMQ's MQTT plugin publishes an MQTT message to `amq.topic` with the topic as routing key,
 * '/' and '.' swapped (an AMQP routing key separates words with '.'); `+` becomes `*`.
 */
export function mqttTopicToRoutingKey(topic: string): string {
  return topic.replace(/[./+]/g, (c) => (c === '/' ? '.' : c === '.' ? '/' : '*'));
}

export function routingKeyToMqttTopic(key: string): string {
  return key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** What the ingest queue is bound to: the same messages the MQTT subscriber takes. */
export function ingestBindings(topicRoot: string): string[] {
  return (['telemetry', 'resend-reply', 'status'] as const).map((kind) =>
    mqttTopicToRoutingKey(siteTopicFilter(topicRoot, kind)),
  );
}
