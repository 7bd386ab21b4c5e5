/**
 * Random draws that depend only on the seed and what they are about (a site, a day, a minute), not
 * on the order in which they are asked for: the simulated world is the same for a given seed
 * however the event loop interleaves its sites.
 */
export type Draw = (...keys: readonly (number | string)[]) => number;

/** A number in [0, 1) for the seed and the keys. */
export function createDraw(seed: number): Draw {
  return (...keys) => {
    let h = mix(seed >>> 0);
    for (const key of keys) h = mix(h ^ (typeof key === 'number' ? key >>> 0 : hashText(key)) ^ 0x9e37_79b9);
    return mix(h) / 4_294_967_296;
  };
}

/** A uniform number in [min, max). */
export function between(u: number, min: number, max: number): number {
  return min + u * (max - min);
}

/** Poisson-distributed count for a small mean, from one uniform draw (inverse transform). */
export function poisson(u: number, mean: number): number {
  if (mean <= 0) return 0;
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  while (u > cumulative && k < 1000) {
    k += 1;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashText(text: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x0100_0193);
  return h >>> 0;
}
