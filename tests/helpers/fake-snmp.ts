import type { SnmpClient, SnmpErrorCode, SnmpTarget, SnmpValue, SnmpVarbind } from '@pantau/agent';
import { fail, ok, type Result } from '@pantau/shared';

/**
 * An SNMP agent as a table of OID → value. `failWith` makes every call fail with that code;
 * `walk` returns the rows under the base OID in OID order.
 */
export class FakeSnmp implements SnmpClient {
  readonly calls: { kind: 'get' | 'walk'; oids: readonly string[] }[] = [];
  failWith: SnmpErrorCode | null = null;
  constructor(public values: Map<string, SnmpValue> = new Map()) {}

  set(oid: string, value: SnmpValue): this {
    this.values.set(oid, value);
    return this;
  }

  async get(_target: SnmpTarget, oids: readonly string[]): Promise<Result<SnmpVarbind[], SnmpErrorCode>> {
    this.calls.push({ kind: 'get', oids });
    if (this.failWith !== null) return fail(this.failWith, `fake ${this.failWith}`);
    const out: SnmpVarbind[] = [];
    for (const oid of oids) {
      const value = this.values.get(oid);
      if (value === undefined) return fail('snmp_no_such_object', `no such object ${oid}`);
      out.push({ oid, value });
    }
    return ok(out);
  }

  async walk(_target: SnmpTarget, baseOid: string, maxRows: number): Promise<Result<SnmpVarbind[], SnmpErrorCode>> {
    this.calls.push({ kind: 'walk', oids: [baseOid] });
    if (this.failWith !== null) return fail(this.failWith, `fake ${this.failWith}`);
    const rows = [...this.values.entries()]
      .filter(([oid]) => oid.startsWith(`${baseOid}.`))
      .map(([oid, value]) => ({ oid, value }));
    return ok(rows.slice(0, maxRows));
  }
}

export const fakeTarget: SnmpTarget = { host: '127.0.0.1', port: 161, community: 'public', timeoutMs: 1000 };
