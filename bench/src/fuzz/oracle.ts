/**
 * One case through both decoders, the collector's (what ingest runs) and shared's plain one (what
 * the agent and third parties run): neither may throw, both must agree, and each must stay within
 * the stated time and memory per message.
 */
import { getHeapStatistics } from 'node:v8';
import { decodeIngestPayload } from '@pantau/collector';
import { DEFAULT_MAX_PAYLOAD_BYTES, type DecodeErrorCode, decodePayload, type PayloadDecoder } from '@pantau/shared';
import { sortedJson } from '../codec/artefacts.js';
import type { FuzzCase } from './cases.js';
import { FUZZ_SITE } from './corpus.js';

export interface Bounds {
  /** CPU time one message may cost one decoder. */
  readonly maxCpuMs: number;
  /** Heap (JavaScript and external) one message may grow by while it is decoded. */
  readonly maxHeapBytes: number;
}

export interface Outcome {
  readonly ok: boolean;
  readonly code: DecodeErrorCode | null;
  /** The costlier of the two decoders. */
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly heapBytes: number;
}

export class FuzzFailure extends Error {
  constructor(
    readonly kind: 'throw' | 'disagree' | 'slow' | 'memory',
    message: string,
  ) {
    super(message);
  }
}

const heapNow = () => {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
};

function measured(decode: PayloadDecoder, c: FuzzCase, which: string) {
  const heapBefore = heapNow();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  let result: ReturnType<PayloadDecoder>;
  try {
    result = decode(c.kind, c.payload, DEFAULT_MAX_PAYLOAD_BYTES, { siteId: FUZZ_SITE });
  } catch (error) {
    throw new FuzzFailure('throw', `${which} decoder threw: ${(error as Error).stack ?? String(error)}`);
  }
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, heapBytes: Math.max(0, heapNow() - heapBefore) };
}

export function runCase(c: FuzzCase, bounds: Bounds): Outcome {
  const ingest = measured(decodeIngestPayload, c, 'the collector');
  const plain = measured(decodePayload, c, 'the plain');
  const a = ingest.result;
  const b = plain.result;
  if (a.ok !== b.ok || (!a.ok && !b.ok && a.code !== b.code)) {
    throw new FuzzFailure('disagree', `collector ${a.ok ? 'accepts' : a.code}, plain ${b.ok ? 'accepts' : b.code}`);
  }
  if (a.ok && b.ok && sortedJson(a.value) !== sortedJson(b.value)) {
    throw new FuzzFailure('disagree', 'the decoders accept it as different messages');
  }
  const cpuMs = Math.max(ingest.cpuMs, plain.cpuMs);
  const heapBytes = Math.max(ingest.heapBytes, plain.heapBytes);
  if (cpuMs > bounds.maxCpuMs)
    throw new FuzzFailure('slow', `${cpuMs.toFixed(0)} ms of CPU, the bound is ${bounds.maxCpuMs}`);
  if (heapBytes > bounds.maxHeapBytes) {
    throw new FuzzFailure(
      'memory',
      `${(heapBytes / 2 ** 20).toFixed(0)} MiB of heap, the bound is ${bounds.maxHeapBytes / 2 ** 20}`,
    );
  }
  return {
    ok: a.ok,
    code: a.ok ? null : a.code,
    cpuMs,
    wallMs: Math.max(ingest.wallMs, plain.wallMs),
    heapBytes,
  };
}
