/**
 * Case `index` of a run seeded `seed`: a payload and the topic kind it arrives on, made from the
 * corpus by one strategy. A case depends on (seed, index) alone, so a failure replays from them.
 */
import { encodePayload, type SampleInput } from '@pantau/shared';
import { dayBatches, SAMPLES_PER_DAY } from '../synthetic-samples.js';
import { buildCorpus, type CorpusEntry, FUZZ_KINDS, FUZZ_SITE, type FuzzKind } from './corpus.js';
import { limitProbe } from './limit-probes.js';
import { mutateBytes } from './mutate-bytes.js';
import { mutateColumnar } from './mutate-columnar.js';
import { mutateJson } from './mutate-json.js';
import { caseSeed, type Rand, rand } from './random.js';

export interface FuzzCase {
  readonly index: number;
  /** The topic kind the payload arrives on. */
  readonly kind: FuzzKind;
  /** How it was made, e.g. `columnar: kind swap` or `bytes: truncation of deflate`. */
  readonly name: string;
  readonly payload: Buffer;
}

export interface CaseMaker {
  make(index: number): FuzzCase;
}

export function caseMaker(seed: number): CaseMaker {
  const corpus = buildCorpus();
  const columnar = corpus.filter((c) => c.encoded.columnar !== undefined);
  // Encoded when first needed: a day of samples takes a while to encode.
  let day: Buffer | undefined;
  const wholeDay = () => {
    const batch = dayBatches(SAMPLES_PER_DAY)[0] as { samples: SampleInput[]; sentAtMs: number };
    day ??= encodePayload('telemetry', { v: 1, siteId: FUZZ_SITE, agentVersion: '0.1.0', ...batch }, 'columnar');
    return day;
  };
  const anyEncoded = (r: Rand, entry: CorpusEntry): [string, Buffer] => {
    const encodings = Object.entries(entry.encoded) as [string, Buffer][];
    return r.pick(encodings);
  };
  return {
    make(index) {
      const r = rand(caseSeed(seed, index));
      const entry = r.pick(corpus);
      // Now and then a payload arrives on another kind's topic.
      const kind = r.chance(0.08) ? r.pick(FUZZ_KINDS) : entry.kind;
      const strategy = r.int(100);
      if (strategy < 6) {
        const [encoding, payload] = anyEncoded(r, entry);
        return { index, kind, name: `valid ${entry.kind} ${encoding}`, payload };
      }
      if (strategy < 36) {
        const [encoding, payload] = anyEncoded(r, entry);
        const other = () => anyEncoded(r, r.pick(corpus))[1];
        const m = mutateBytes(payload, r, other);
        return { index, kind, name: `bytes: ${m.name} of ${encoding}`, payload: m.payload };
      }
      if (strategy < 68) {
        const one = r.pick(columnar).encoded.columnar as Buffer;
        const two = r.pick(columnar).encoded.columnar as Buffer;
        const m = mutateColumnar(one, two, r);
        return { index, kind: r.chance(0.95) ? 'telemetry' : kind, name: `columnar: ${m.name}`, payload: m.payload };
      }
      if (strategy < 98) {
        const m = mutateJson(entry.message, r);
        return { index, kind, name: `json: ${m.name}`, payload: m.payload };
      }
      if (strategy < 99) {
        const m = limitProbe(r, wholeDay);
        return { index, kind: 'telemetry', name: m.name, payload: m.payload };
      }
      const noise = Buffer.from(Array.from({ length: r.int(2048) }, () => r.int(256)));
      return { index, kind, name: 'random bytes', payload: noise };
    },
  };
}
