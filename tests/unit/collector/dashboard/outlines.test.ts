import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Ring = readonly (readonly [number, number])[];
const read = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
// The data the dashboard bundles (the client module only maps it to tuples).
const KABUPATEN_OUTLINES = read<{ kabupaten: { code: string; name: string; rings: Ring[] }[] }>(
  '../../../../collector/src/dashboard/client/kabupaten-outlines.json',
).kabupaten;

/** Even-odd rule: a ray to the east crosses the ring an odd number of times from inside. */
function inside(ring: Ring, lon: number, lat: number): boolean {
  let crossings = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i] ?? [0, 0];
    const [xj, yj] = ring[j] ?? [0, 0];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) crossings += 1;
  }
  return crossings % 2 === 1;
}

/** Degrees from a point to the nearest edge of the rings. */
function distanceToEdge(rings: readonly Ring[], lon: number, lat: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i += 1) {
      const [ax, ay] = ring[i - 1] ?? [0, 0];
      const [bx, by] = ring[i] ?? [0, 0];
      const dx = bx - ax;
      const dy = by - ay;
      const length = dx * dx + dy * dy;
      const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((lon - ax) * dx + (lat - ay) * dy) / length));
      best = Math.min(best, Math.hypot(lon - ax - t * dx, lat - ay - t * dy));
    }
  }
  return best;
}

describe("the map's kabupaten outlines", () => {
  const places = JSON.parse(
    readFileSync(new URL('../../../../bench/data/kecamatan-kaltim.json', import.meta.url), 'utf8'),
  ) as {
    kabupaten: { code: string; kecamatan: { code: string; name: string; latitude: number; longitude: number }[] }[];
  };

  it('hold Paser and Kutai Timur, in longitude-latitude order, with every kecamatan seat inside or at the border', () => {
    expect(KABUPATEN_OUTLINES.map((k) => [k.code, k.name])).toEqual([
      ['64.01', 'Paser'],
      ['64.08', 'Kutai Timur'],
    ]);
    for (const kabupaten of places.kabupaten) {
      const outline = KABUPATEN_OUTLINES.find((k) => k.code === kabupaten.code);
      expect(outline, kabupaten.code).toBeDefined();
      const rings = outline?.rings ?? [];
      const outside = kabupaten.kecamatan.filter(
        (kec) => !rings.some((ring) => inside(ring, kec.longitude, kec.latitude)),
      );
      expect(outside.length).toBeLessThan(kabupaten.kecamatan.length / 2);
      // The seats' coordinates are good to about 0.1° (bench/data): a seat near the border may fall
      // just outside, never further.
      for (const kec of outside)
        expect([kec.name, distanceToEdge(rings, kec.longitude, kec.latitude) < 0.1]).toEqual([kec.name, true]);
    }
  });
});
