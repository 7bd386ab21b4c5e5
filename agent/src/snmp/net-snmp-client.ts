import { fail, ok, type Result } from '@pantau/shared';
import type { Session, Varbind } from 'net-snmp';
import type { Clock } from '../clock.js';
import type { SnmpClient, SnmpErrorCode, SnmpTarget, SnmpValue, SnmpVarbind } from './snmp-client.js';

// ASN.1 tags of the SNMP types (RFC 2578 section 7.1, RFC 3416 section 3).
const TAG_OCTET_STRING = 4;
const TAG_COUNTER64 = 70;
const TAG_NO_SUCH_OBJECT = 128;
const TAG_NO_SUCH_INSTANCE = 129;
const TAG_END_OF_MIB_VIEW = 130;
const MAX_REPETITIONS = 20;
/** Slack past the library's own request timeout before our guard gives up on it. */
const GUARD_SLACK_MS = 250;

type Outcome<T> = Result<T, SnmpErrorCode>;

/**
 * net-snmp (with its MIB parser, heap the README counts in "Footprint") is loaded at the first
 * request: most sites count traffic from /proc and never speak SNMP.
 */
let library: Promise<typeof import('net-snmp').default> | null = null;
const loadSnmp = () => {
  library ??= import('net-snmp').then((module) => module.default);
  return library;
};

/**
 * SNMP v2c through net-snmp. One short-lived session per call, so a wedged socket never outlives
 * the call; every call is bounded by the target's timeout (no retries: the next cycle retries) and
 * by the caller's signal.
 */
export function createNetSnmpClient(clock: Clock): SnmpClient {
  return {
    get(target, oids, signal) {
      return withSession<SnmpVarbind[]>(target, signal, (session, settle) => {
        session.get([...oids], (error, varbinds) => {
          if (error !== null) return settle(failure(error));
          const out: SnmpVarbind[] = [];
          for (const vb of varbinds ?? []) {
            if (isMissing(vb)) return settle(fail('snmp_no_such_object', `no such object ${vb.oid}`));
            const value = toValue(vb);
            if (value === null) return settle(fail('snmp_error', `unexpected value type ${vb.type} at ${vb.oid}`));
            out.push({ oid: vb.oid, value });
          }
          settle(ok(out));
        });
      });
    },
    walk(target, baseOid, maxRows, signal) {
      return withSession<SnmpVarbind[]>(target, signal, (session, settle) => {
        const rows: SnmpVarbind[] = [];
        session.subtree(
          baseOid,
          MAX_REPETITIONS,
          (varbinds) => {
            for (const vb of varbinds) {
              const value = isMissing(vb) ? null : toValue(vb);
              if (value !== null) rows.push({ oid: vb.oid, value });
            }
            // Returning true stops the walk: a bounded answer beats an unbounded one.
            return rows.length >= maxRows;
          },
          (error) => settle(error === null ? ok(rows.slice(0, maxRows)) : failure(error)),
        );
      });
    },
  };

  async function withSession<T>(
    target: SnmpTarget,
    signal: AbortSignal,
    run: (session: Session, settle: (outcome: Outcome<T>) => void) => void,
  ): Promise<Outcome<T>> {
    const snmp = await loadSnmp();
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(fail('snmp_timeout', 'aborted before the request'));
      let settled = false;
      let session: Session | null = null;
      const cancelGuard = clock.setTimer(target.timeoutMs + GUARD_SLACK_MS, () =>
        settle(fail('snmp_timeout', `no answer from ${target.host}:${target.port} in ${target.timeoutMs} ms`)),
      );
      const onAbort = () => settle(fail('snmp_timeout', 'aborted: the probe ran out of time'));
      signal.addEventListener('abort', onAbort, { once: true });
      function settle(outcome: Outcome<T>) {
        if (settled) return;
        settled = true;
        cancelGuard();
        signal.removeEventListener('abort', onAbort);
        try {
          session?.close();
        } catch {
          // Already closed by the library after a socket error; nothing to release.
        }
        resolve(outcome);
      }
      try {
        session = snmp.createSession(target.host, target.community, {
          port: target.port,
          version: snmp.Version2c,
          timeout: target.timeoutMs,
          retries: 0,
        });
        session.on('error', (error) => settle(fail('snmp_error', `socket error: ${error.message}`)));
        run(session, settle);
      } catch (error) {
        settle(fail('snmp_error', (error as Error).message));
      }
    });
  }
}

function isMissing(vb: Varbind): boolean {
  return vb.type === TAG_NO_SUCH_OBJECT || vb.type === TAG_NO_SUCH_INSTANCE || vb.type === TAG_END_OF_MIB_VIEW;
}

function toValue(vb: Varbind): SnmpValue | null {
  const { value } = vb;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) {
    // net-snmp hands Counter64 over as its raw big-endian bytes.
    if (vb.type === TAG_COUNTER64) return bytesToBigint(value);
    if (vb.type === TAG_OCTET_STRING) return new Uint8Array(value);
  }
  return null;
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return n;
}

function failure(error: Error): Outcome<never> {
  // net-snmp's RequestTimedOutError: the agent did not answer within the request timeout.
  if (error.name === 'RequestTimedOutError') return fail('snmp_timeout', error.message);
  return fail('snmp_error', `${error.name}: ${error.message}`);
}
