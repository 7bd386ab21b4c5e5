/**
 * Where things are in a valid columnar structure (docs/columnar.md, "The structure"), so the fuzzer
 * can change one of them and no other: the sample and column counts, and per column its field
 * number, header byte, parameter byte and tagged values. The walk stops at a partial tagged column,
 * whose value count only the value bits know; the columns before it are mapped.
 */

export interface ColumnSpot {
  /** The field varint (and the spelled-out path after it, when the field is 0). */
  readonly fieldAt: number;
  readonly fieldEnd: number;
  readonly headerAt: number;
  /** The parameter byte of a number or boolean column. */
  readonly paramAt: number | null;
  /** The tag bytes of its constant or tagged values. */
  readonly tagsAt: readonly number[];
  /** Where the next column starts. */
  readonly end: number;
}

export interface StructureMap {
  readonly samplesAt: number;
  readonly samplesEnd: number;
  readonly columnsAt: number;
  readonly columnsEnd: number;
  readonly samples: number;
  readonly columns: readonly ColumnSpot[];
}

class Cursor {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  byte(): number {
    const b = this.bytes[this.at++];
    if (b === undefined) throw new Error('structure ends early');
    return b;
  }
  varint(): number {
    let value = 0;
    for (let shift = 1; ; shift *= 0x80) {
      const b = this.byte();
      value += (b & 0x7f) * shift;
      if (b < 0x80) return value;
    }
  }
  skip(count: number): void {
    this.at += count;
  }
  /** Skips a tagged value; returns where its tag was. */
  tagged(): number {
    const at = this.at;
    const tag = this.byte();
    if (tag === 3 || tag === 4) this.varint();
    else if (tag === 5) this.skip(8);
    else if (tag === 6) this.skip(this.varint());
    return at;
  }
}

export function mapStructure(structure: Uint8Array): StructureMap {
  const c = new Cursor(structure);
  c.varint();
  c.skip(c.varint());
  const samplesAt = c.at;
  const samples = c.varint();
  const samplesEnd = c.at;
  const columnsAt = c.at;
  const count = c.varint();
  const columnsEnd = c.at;
  const columns: ColumnSpot[] = [];
  for (let i = 0; i < count; i++) {
    const fieldAt = c.at;
    if (c.varint() === 0) c.skip(c.varint());
    const fieldEnd = c.at;
    const headerAt = c.at;
    const header = c.byte();
    const kind = header & 3;
    let paramAt: number | null = null;
    const tagsAt: number[] = [];
    if (kind === 0) tagsAt.push(c.tagged());
    else if (kind === 1 || kind === 2) {
      paramAt = c.at;
      c.byte();
    } else if (header & 4) break;
    else for (let j = 0; j < samples; j++) tagsAt.push(c.tagged());
    columns.push({ fieldAt, fieldEnd, headerAt, paramAt, tagsAt, end: c.at });
  }
  return { samplesAt, samplesEnd, columnsAt, columnsEnd, samples, columns };
}
