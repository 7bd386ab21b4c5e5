import { readdirSync, readFileSync } from 'node:fs';
import type { AcceptVector, RejectVectorFile } from '@pantau/bench/codec-artefacts';

const dir = new URL('./vectors/', import.meta.url);

/** Every vector file, parsed: the ones that decode and the ones every decoder must reject. */
export function loadVectors(): { accepted: AcceptVector[]; rejected: RejectVectorFile[] } {
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as AcceptVector | RejectVectorFile);
  return {
    accepted: all.filter((v): v is AcceptVector => !('reason' in v)),
    rejected: all.filter((v): v is RejectVectorFile => 'reason' in v),
  };
}

export const siteOf = (topic: string) => topic.split('/')[3] ?? '';
