#!/usr/bin/env node
// Bundles the NOC dashboard (client TypeScript, CSS, uPlot) into dist/dashboard/: index.html and
// assets/ with content-hashed names, so a browser may cache an asset for ever and a new build is
// never mixed with an old one. Nothing in the output refers to another host.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const OUTLINES_LICENCE = `MIT License

Copyright (c) 2024 Cahya DSN

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;
const collectorDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = join(collectorDir, 'src', 'dashboard', 'client');
const outDir = join(collectorDir, 'dist', 'dashboard');
const assetsDir = join(outDir, 'assets');

// Only the dashboard's own output is replaced: tsc writes the collector's modules beside it.
rmSync(assetsDir, { recursive: true, force: true });
rmSync(join(outDir, 'index.html'), { force: true });
mkdirSync(assetsDir, { recursive: true });

const result = await build({
  entryPoints: { app: join(clientDir, 'main.ts') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  platform: 'browser',
  outdir: assetsDir,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'linked',
  banner: { js: '/*! Pantau NOC dashboard. Third-party licences (uPlot; kabupaten outlines): licences.txt */' },
  metafile: true,
  logLevel: 'warning',
  tsconfig: join(clientDir, 'tsconfig.json'),
});

// uPlot's MIT licence asks for its notice in every copy; the outlines' data set likewise.
const licences = [
  ['uPlot', readFileSync(join(collectorDir, 'node_modules', 'uplot', 'LICENSE'), 'utf8')],
  ['Kabupaten outlines: wilayah_boundaries by Cahya DSN (see docs/dashboard.md)', OUTLINES_LICENCE],
];
writeFileSync(
  join(assetsDir, 'licences.txt'),
  licences.map(([name, text]) => `${name}\n\n${text.trim()}\n`).join('\n---\n\n'),
);

const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const js = outputs.find((name) => /^app-.*\.js$/.test(name));
const css = outputs.find((name) => /^app-.*\.css$/.test(name));
if (js === undefined || css === undefined)
  throw new Error(`dashboard build: no app js/css among ${outputs.join(', ')}`);
const html = readFileSync(join(clientDir, 'index.html'), 'utf8').replace('{{js}}', js).replace('{{css}}', css);
writeFileSync(join(outDir, 'index.html'), html);
console.log(`dashboard: ${readdirSync(assetsDir).join(', ')}`);
