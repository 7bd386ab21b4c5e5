import type { z } from 'zod';
import type { CollectorConfig } from './schema.js';

/**
 * Settings that each pass on their own but cannot work together. Each is refused at start with the
 * fields named, so the collector never runs on a config that quietly receives or stores nothing.
 */
export function refuseContradictions(config: CollectorConfig, ctx: z.RefinementCtx): void {
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const { mqtt, ingest, store, http, embeddedBroker, input, amqp } = config;
  if (input.kind === 'amqp') {
    if (amqp.urls === undefined) issue(['amqp', 'urls'], "input.kind amqp needs the cluster nodes' AMQP URLs");
    // The queue already spreads messages over collectors; MQTT connections would receive nothing.
    if (ingest.connections > 1) issue(['ingest', 'connections'], 'applies to MQTT input; with amqp use amqp.prefetch');
  } else if (amqp.urls !== undefined) {
    issue(['amqp', 'urls'], 'is read only with input.kind: amqp; set input.kind: amqp, or remove amqp.urls');
  } else if (mqtt.url === undefined) {
    // The embedded broker (aedes) has no shared subscriptions: a `$share/...` filter matches nothing.
    if (mqtt.shareGroup !== undefined) {
      issue(['mqtt', 'shareGroup'], 'needs mqtt.url: the embedded broker has no shared subscriptions');
    }
    if (ingest.connections > 1) {
      issue(['ingest', 'connections'], 'above 1 needs mqtt.url: the embedded broker has no shared subscriptions');
    }
    if (http.enabled && http.port !== 0 && http.port === embeddedBroker.port) {
      issue(['http', 'port'], `must differ from embeddedBroker.port (${embeddedBroker.port}): both listen`);
    }
  }
  if (mqtt.password !== undefined && mqtt.username === undefined) {
    issue(['mqtt', 'username'], 'a password needs a username (MQTT sends no password without one)');
  }
  if (store.postgresUrl !== undefined && store.sqliteWorker !== undefined) {
    issue(['store', 'sqliteWorker'], 'applies to SQLite only; with store.postgresUrl set it would be ignored');
  }
}
