import { readFileSync } from 'node:fs';
import { publishedArtefacts } from '@pantau/bench/codec-artefacts';
import { describe, expect, it } from 'vitest';

/**
 * The columnar format's published artefacts (docs/columnar/) are what the code uses: the frozen
 * field list and the preset dictionary. `pnpm codec:artefacts` writes them.
 */
describe('published columnar artefacts', () => {
  it.each(publishedArtefacts().map((a) => [a.path, a] as const))('%s equals what the code holds', (_, artefact) => {
    const file = readFileSync(new URL(`../../${artefact.path}`, import.meta.url));
    if (artefact.path.endsWith('.json')) expect(file.toString('utf8')).toBe(artefact.bytes.toString('utf8'));
    else expect(file.toString('hex')).toBe(artefact.bytes.toString('hex'));
  });
});
