import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentConfigSchema, agentEnvMap, brokerTlsCode, nodeFileReader, readBrokerTrust } from '@pantau/agent';
import { makeTestPki } from '@pantau/bench/test-pki';
import { loadConfig, pantauStrictEnv } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { attemptOutcome } from '../../../../agent/src/delivery/mqtt/reconnect-policy.js';

const dir = mkdtempSync(join(tmpdir(), 'pantau-broker-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the broker's pinned CA", () => {
  it('is read once from mqtt.caFile; no file named means no pinned CA', async () => {
    const pki = makeTestPki(join(dir, 'pki'));
    const read = await readBrokerTrust(pki.caFile, nodeFileReader);
    expect(read.ok && read.value.ca?.toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await readBrokerTrust(undefined, nodeFileReader)).toEqual({ ok: true, value: {} });
  });

  it('a missing file or one without a certificate is a stable code that says what to do', async () => {
    const missing = await readBrokerTrust(join(dir, 'none.pem'), nodeFileReader);
    expect(missing).toMatchObject({ ok: false, code: 'mqtt_ca_unreadable' });
    expect(!missing.ok && missing.message).toContain("copy the NOC's CA certificate");
    writeFileSync(join(dir, 'garbage.pem'), 'not a certificate\n');
    expect(await readBrokerTrust(join(dir, 'garbage.pem'), nodeFileReader)).toMatchObject({
      ok: false,
      code: 'mqtt_ca_invalid',
    });
  });

  it('is refused with a plain URL, where the password would travel in clear', () => {
    const load = (mqtt: string) =>
      loadConfig(agentConfigSchema, {
        file: { path: 'agent.yaml', text: `siteId: kutim-01\nmqtt: ${mqtt}\n` },
        env: {},
        envMap: agentEnvMap,
        strictEnv: pantauStrictEnv,
      });
    const plain = load('{ url: "mqtt://noc.example:1883", caFile: /etc/pantau/ca.pem }');
    expect(!plain.ok && plain.message).toMatch(/^mqtt\.caFile: needs a TLS broker URL \(mqtts:\/\/host:8883\)/);
    expect(load('{ url: "mqtts://noc.example:8883", caFile: /etc/pantau/ca.pem }').ok).toBe(true);
  });
});

describe("TLS's refusals as the agent's codes", () => {
  it("names a CA or host mismatch broker_untrusted, a certificate outside the clock's time broker_cert_time", () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(brokerTlsCode(error('SELF_SIGNED_CERT_IN_CHAIN'))).toBe('broker_untrusted');
    expect(brokerTlsCode(error('UNABLE_TO_VERIFY_LEAF_SIGNATURE'))).toBe('broker_untrusted');
    expect(brokerTlsCode(error('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('broker_untrusted');
    expect(brokerTlsCode(error('CERT_NOT_YET_VALID'))).toBe('broker_cert_time');
    expect(brokerTlsCode(error('CERT_HAS_EXPIRED'))).toBe('broker_cert_time');
    expect(brokerTlsCode(error('ECONNREFUSED'))).toBeNull();
    expect(brokerTlsCode(Object.assign(new Error('connack'), { code: 5 }))).toBeNull();
  });

  it('backs off from an untrusted broker as from a refusal', () => {
    const attempt = { refusedCode: null, disconnectReason: null, upMs: null, stableMs: 60_000 };
    expect(attemptOutcome({ ...attempt, untrusted: true })).toBe('refused');
    expect(attemptOutcome(attempt)).toBe('unreachable');
  });
});
