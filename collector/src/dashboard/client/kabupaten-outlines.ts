import outlines from './kabupaten-outlines.json';

/** A kabupaten's outline: rings of [longitude, latitude] (the data's source is in its JSON file). */
export interface KabupatenOutline {
  readonly code: string;
  readonly name: string;
  readonly rings: readonly (readonly (readonly [number, number])[])[];
}

export const KABUPATEN_OUTLINES: readonly KabupatenOutline[] = outlines.kabupaten.map((k) => ({
  code: k.code,
  name: k.name,
  rings: k.rings.map((ring) => ring.map(([lon = 0, lat = 0]) => [lon, lat] as const)),
}));
