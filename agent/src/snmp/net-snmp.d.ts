// net-snmp ships no types. This declares only what Pantau calls; values arrive untyped and are
// narrowed in net-snmp-client.ts before anything else sees them.
declare module 'net-snmp' {
  export interface Varbind {
    readonly oid: string;
    readonly type: number;
    readonly value: unknown;
  }
  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    version?: number;
    transport?: 'udp4' | 'udp6';
  }
  export interface Session {
    get(oids: string[], callback: (error: Error | null, varbinds?: Varbind[]) => void): void;
    subtree(
      oid: string,
      maxRepetitions: number,
      feed: (varbinds: Varbind[]) => boolean | undefined,
      done: (error: Error | null) => void,
    ): void;
    close(): void;
    on(event: 'error', listener: (error: Error) => void): void;
  }
  const snmp: {
    readonly Version2c: number;
    createSession(target: string, community: string, options?: SessionOptions): Session;
  };
  export default snmp;
}
