#!/usr/bin/env node
/**
 * `pnpm codec:artefacts`: writes the columnar format's published artefacts from the code
 * (docs/columnar/fields-v1.json, docs/columnar/dictionary-v2.bin); with `--vectors`, the test
 * vectors too (tests/interop/vectors/). `--check` writes nothing and exits 1 when a file differs.
 * Vectors are made once and then frozen: a vector that changes means the wire bytes changed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Artefact, publishedArtefacts, vectorArtefacts } from './codec/artefacts.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { check: { type: 'boolean' }, vectors: { type: 'boolean' } } });

function current(path: string): Buffer | null {
  try {
    return readFileSync(join(root, path));
  } catch {
    return null;
  }
}

const artefacts: Artefact[] = [...publishedArtefacts(), ...(values.vectors === true ? vectorArtefacts() : [])];
let differ = 0;
for (const { path, bytes } of artefacts) {
  const same = current(path)?.equals(bytes) === true;
  if (values.check === true) {
    if (!same) differ++;
    process.stdout.write(`${same ? 'same   ' : 'DIFFERS'} ${path}\n`);
  } else if (!same) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes);
    process.stdout.write(`wrote ${path}\n`);
  }
}
process.stdout.write(`${JSON.stringify({ artefacts: artefacts.length, differ })}\n`);
if (differ > 0) process.exitCode = 1;
