import { X509Certificate } from 'node:crypto';
import { fail, ok, type Result } from '@pantau/shared';
import type { FileReader } from '../../host/file-reader.js';

/** The broker's trust anchor: the CA pinned in `mqtt.caFile`, or none (plain MQTT, or the system's CAs). */
export interface BrokerTrust {
  /** PEM; when set, the broker's certificate must chain to it and no other CA. */
  readonly ca?: Buffer | undefined;
}

export const NO_PINNED_CA: BrokerTrust = {};

export type BrokerCaCode = 'mqtt_ca_unreadable' | 'mqtt_ca_invalid';

/** Reads and parses `mqtt.caFile` once at start, so a missing or broken file is a config error, not a retry loop. */
export async function readBrokerTrust(
  caFile: string | undefined,
  files: Pick<FileReader, 'readText'>,
): Promise<Result<BrokerTrust, BrokerCaCode>> {
  if (caFile === undefined) return ok(NO_PINNED_CA);
  let pem: string;
  try {
    pem = await files.readText(caFile);
  } catch (error) {
    return fail(
      'mqtt_ca_unreadable',
      `mqtt.caFile: cannot read ${caFile} (${(error as NodeJS.ErrnoException).code ?? String(error)}): ` +
        "copy the NOC's CA certificate (PEM) there, readable by the agent's user",
    );
  }
  try {
    new X509Certificate(pem);
  } catch {
    return fail(
      'mqtt_ca_invalid',
      `mqtt.caFile: ${caFile} holds no PEM certificate: copy the NOC's CA certificate there`,
    );
  }
  return ok({ ca: Buffer.from(pem) });
}

/** Why TLS refused the broker, as the agent's codes (docs/errors.md). */
export type BrokerTlsCode = 'broker_untrusted' | 'broker_cert_time';

/**
 * Node's certificate verification errors (OpenSSL's X509_V_ERR names, and the host name check).
 * A certificate "not yet valid" or "expired" is most often the Pi's clock (no clock battery: it
 * boots in the past until NTP steps it), so it has its own code and is retried like an outage.
 */
const CLOCK_ERRORS = new Set(['CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED']);
const TRUST_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function brokerTlsCode(error: unknown): BrokerTlsCode | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (CLOCK_ERRORS.has(code)) return 'broker_cert_time';
  return TRUST_ERRORS.has(code) ? 'broker_untrusted' : null;
}

/** What to do about each, for the log and the self-test. */
export const BROKER_TLS_FIX: Readonly<Record<BrokerTlsCode, string>> = {
  broker_untrusted:
    "the broker's certificate is not signed by the CA in mqtt.caFile, or names another host than mqtt.url: " +
    "get the NOC's current CA certificate and the broker's name",
  broker_cert_time:
    "the broker's certificate is not valid at this clock's time: check NTP (timedatectl status); " +
    'the agent retries as the clock is set',
};
