import { collectorConfigSchema, collectorEnvMap } from '@pantau/collector';
import { loadConfig, pantauStrictEnv } from '@pantau/shared';
import { describe, expect, it } from 'vitest';

function load(text: string, env: Record<string, string> = {}) {
  return loadConfig(collectorConfigSchema, {
    file: { path: 'collector.yaml', text },
    env,
    envMap: collectorEnvMap,
    strictEnv: pantauStrictEnv,
  });
}
const problems = (result: ReturnType<typeof load>): string[] => (result.ok ? [] : result.message.split('\n'));

describe("the collector's config refuses what it would otherwise ignore", () => {
  it('an unknown key, with the one it most likely meant', () => {
    expect(problems(load('store:\n  postgresURL: postgres://db/pantau\n'))).toEqual([
      'store.postgresURL: unknown key; did you mean store.postgresUrl? (from file collector.yaml, line 2)',
    ]);
    expect(problems(load('', { PANTAU_POSTGRESS_URL: 'postgres://db/pantau' }))).toEqual([
      'PANTAU_POSTGRESS_URL: unknown environment variable; did you mean PANTAU_POSTGRES_URL? ' +
        '(from environment PANTAU_POSTGRESS_URL)',
    ]);
  });

  it('a lease whose renewal does not fit twice in it, from the file or the environment', () => {
    const fields = (result: ReturnType<typeof load>) => problems(result).map((l) => l.split(':')[0]);
    expect(fields(load('store: { lease: { ttlMs: 3000, renewMs: 2000 } }\n'))).toEqual(['store.lease.ttlMs']);
    expect(fields(load('', { PANTAU_LEASE_TTL_MS: '4000', PANTAU_LEASE_RENEW_MS: '3000' }))).toEqual([
      'store.lease.ttlMs',
    ]);
    const good = load('', {
      PANTAU_LEASE_TTL_MS: '6000',
      PANTAU_LEASE_RENEW_MS: '3000',
      PANTAU_LEASE_ENABLED: 'false',
    });
    expect(good.ok && good.value.store.lease).toEqual({ enabled: false, ttlMs: 6000, renewMs: 3000, feedPollMs: 1000 });
  });

  it("lets the agent's variables pass (one machine may run both)", () => {
    expect(load('', { PANTAU_SITE_ID: 'demo-01', PANTAU_SAMPLE_INTERVAL_SEC: '5' }).ok).toBe(true);
  });

  it('a shared subscription on the embedded broker, which has none', () => {
    expect(problems(load('ingest: { connections: 4 }\n'))).toEqual([
      'ingest.connections: above 1 needs mqtt.url: the embedded broker has no shared subscriptions; got 4 ' +
        '(from file collector.yaml, line 1)',
    ]);
    expect(problems(load('mqtt: { shareGroup: noc }\n')).map((l) => l.split(':')[0])).toEqual(['mqtt.shareGroup']);
    expect(load('mqtt: { url: "mqtt://127.0.0.1:1884", shareGroup: noc }\ningest: { connections: 4 }\n').ok).toBe(true);
  });

  it('an AMQP input without its nodes, AMQP nodes the MQTT input would ignore, MQTT connections on AMQP', () => {
    const fields = (result: ReturnType<typeof load>) => problems(result).map((l) => l.split(':')[0]);
    expect(fields(load('input: { kind: amqp }\n'))).toEqual(['amqp.urls']);
    expect(fields(load('amqp: { urls: ["amqp://noc:5672"] }\n'))).toEqual(['amqp.urls']);
    expect(
      fields(load('input: { kind: amqp }\namqp: { urls: ["amqp://noc:5672"] }\ningest: { connections: 4 }\n')),
    ).toEqual(['ingest.connections']);
    expect(fields(load('', { PANTAU_INPUT_KIND: 'amqp', PANTAU_AMQP_URLS: '["http://noc"]' }))).toEqual([
      'amqp.urls.0',
    ]);
    const ok = load('', { PANTAU_INPUT_KIND: 'amqp', PANTAU_AMQP_URLS: '["amqp://a:5672","amqp://b:5672"]' });
    expect(ok.ok && ok.value.amqp).toMatchObject({ urls: ['amqp://a:5672', 'amqp://b:5672'], queue: 'pantau.ingest' });
  });

  it('the HTTP server on the embedded broker port, a password without a user, a SQLite setting for PostgreSQL', () => {
    const text =
      'http: { enabled: true, port: 1883 }\nmqtt: { password: pw }\n' +
      'store: { postgresUrl: "postgres://db/pantau", sqliteWorker: true }\n';
    expect(problems(load(text)).map((l) => l.split(':')[0])).toEqual([
      'http.port',
      'mqtt.username',
      'store.sqliteWorker',
    ]);
  });
});
