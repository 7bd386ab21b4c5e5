/**
 * Prints the preset dictionary for columnar payloads (shared/src/codec/columnar/dictionary.ts): the
 * structure of typical batches, so a real batch's structure deflates to a few back-references.
 * Run once when the format version changes; the printed bytes are then frozen.
 */
import { encodeColumnar } from '@pantau/shared';
import { seeded } from './seeded.js';
import { syntheticSample } from './synthetic-samples.js';

const random = seeded(2026);
const samples = Array.from({ length: 25 }, (_, i) => syntheticSample(i + 700, 1_795_392_000_000, random));
const head = { v: 1, agentVersion: '0.1.0', sentAtMs: 1_795_392_000_000 };
// Later parts of the dictionary are cheaper to refer to: the most typical batch (5 samples) last.
const parts = [samples.slice(10, 25), samples.slice(0, 5)].map((s) => {
  const encoded = encodeColumnar(head, s);
  if (encoded === null) throw new Error('a typical batch is past the columnar limits');
  return encoded.structure;
});
process.stdout.write(`${Buffer.concat(parts).toString('base64')}\n`);
