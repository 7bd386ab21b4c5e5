/**
 * Where things are in a valid columnar structure (docs/columnar.md, "The structure"), so the fuzzer
 * can change one of them and no other: the sample and column counts, and per column its field
 * number, header byte, parameter byte and tagged values. The walk stops at a partial tagged column,
 * whose value count only the value bits know; the columns before it are mapped.
 */
import { ByteReader, readTagged } from '@pantau/shared';

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

/** Reads a tagged value; returns where its tag was. */
function tagAt(c: ByteReader): number {
  const at = c.position;
  readTagged(c);
  return at;
}

/** Throws (MalformedInput) on a structure that does not read. */
export function mapStructure(structure: Uint8Array): StructureMap {
  const c = new ByteReader(structure);
  c.varint();
  c.string();
  const samplesAt = c.position;
  const samples = c.varint();
  const samplesEnd = c.position;
  const columnsAt = c.position;
  const count = c.varint();
  const columnsEnd = c.position;
  const columns: ColumnSpot[] = [];
  for (let i = 0; i < count; i++) {
    const fieldAt = c.position;
    if (c.varint() === 0) c.string();
    const fieldEnd = c.position;
    const headerAt = c.position;
    const header = c.byte();
    const kind = header & 3;
    let paramAt: number | null = null;
    const tagsAt: number[] = [];
    if (kind === 0) tagsAt.push(tagAt(c));
    else if (kind === 1 || kind === 2) {
      paramAt = c.position;
      c.byte();
    } else if (header & 4) break;
    else for (let j = 0; j < samples; j++) tagsAt.push(tagAt(c));
    columns.push({ fieldAt, fieldEnd, headerAt, paramAt, tagsAt, end: c.position });
  }
  return { samplesAt, samplesEnd, columnsAt, columnsEnd, samples, columns };
}
