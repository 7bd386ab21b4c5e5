import { inflateStructure } from '@pantau/shared';

/**
 * Inflated columnar structures by their deflated bytes. A site's batches mostly share one structure
 * (the same probes, hosts and sources), and a zlib stream costs more to set up than the rest of a
 * 10-sample batch to decode. Same bytes in, same bytes out (a structure that fails to inflate is
 * never cached), so a hit changes nothing but the time.
 */
const STRUCTURE_CACHE_ENTRIES = 4096;
/**
 * Larger ones are inflated each time: an agent's structure is a few hundred bytes, and a hostile
 * payload's may inflate to MAX_COLUMNAR_STRUCTURE_BYTES; so the cache holds at most ~16 MB.
 */
const CACHED_STRUCTURE_BYTES = 4096;
const CACHED_DEFLATED_BYTES = 1024;

export function createStructureCache(): (deflated: Uint8Array, maxBytes: number) => Uint8Array {
  const structures = new Map<string, Uint8Array>();
  return (deflated, maxBytes) => {
    if (deflated.byteLength > CACHED_DEFLATED_BYTES) return inflateStructure(deflated, maxBytes);
    const key = Buffer.from(deflated.buffer, deflated.byteOffset, deflated.byteLength).toString('latin1');
    const known = structures.get(key);
    if (known !== undefined && known.byteLength <= maxBytes) return known;
    const structure = inflateStructure(deflated, maxBytes);
    if (structure.byteLength > CACHED_STRUCTURE_BYTES) return structure;
    // Bounded: when full, start again rather than track ages (a fleet's structures are few).
    if (structures.size >= STRUCTURE_CACHE_ENTRIES) structures.clear();
    structures.set(key, structure);
    return structure;
  };
}
