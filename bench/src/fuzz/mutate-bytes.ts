/** Mutations that know nothing of the format: what a flaky link or a careless sender does to bytes. */
import type { Rand } from './random.js';

const INTERESTING = [0x00, 0x01, 0x02, 0x04, 0x7b, 0x7f, 0x80, 0xff, 0x22, 0x5b, 0x5d, 0x2c];

export function mutateBytes(payload: Buffer, r: Rand, other: () => Buffer): { name: string; payload: Buffer } {
  const bytes = Buffer.from(payload);
  const at = () => r.int(Math.max(1, bytes.length));
  switch (r.int(8)) {
    case 0: {
      const flips = 1 + r.int(8);
      for (let i = 0; i < flips && bytes.length > 0; i++) {
        const p = at();
        bytes[p] = (bytes[p] ?? 0) ^ (1 << r.int(8));
      }
      return { name: 'bit flips', payload: bytes };
    }
    case 1: {
      const sets = 1 + r.int(4);
      for (let i = 0; i < sets && bytes.length > 0; i++) bytes[at()] = r.chance(0.5) ? r.pick(INTERESTING) : r.int(256);
      return { name: 'bytes set', payload: bytes };
    }
    case 2:
      return { name: 'truncation', payload: bytes.subarray(0, at()) };
    case 3: {
      const p = at();
      const inserted = Buffer.from(Array.from({ length: 1 + r.int(16) }, () => r.int(256)));
      return { name: 'insertion', payload: Buffer.concat([bytes.subarray(0, p), inserted, bytes.subarray(p)]) };
    }
    case 4: {
      const p = at();
      return { name: 'deletion', payload: Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + 1 + r.int(32))]) };
    }
    case 5: {
      const b = other();
      return {
        name: 'splice',
        payload: Buffer.concat([bytes.subarray(0, at()), b.subarray(r.int(Math.max(1, b.length)))]),
      };
    }
    case 6: {
      const p = at();
      const piece = bytes.subarray(p, p + 1 + r.int(64));
      const times = 1 + r.int(64);
      return {
        name: 'repetition',
        payload: Buffer.concat([
          bytes.subarray(0, p),
          ...Array.from({ length: times }, () => piece),
          bytes.subarray(p),
        ]),
      };
    }
    default: {
      const marker = r.pick([0x01, 0x02, 0x04, 0x7b, 0x20, 0x03]);
      const noise = Buffer.from(Array.from({ length: r.int(512) }, () => r.int(256)));
      return { name: 'random bytes', payload: Buffer.concat([Buffer.from([marker]), noise]) };
    }
  }
}
