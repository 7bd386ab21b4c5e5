#!/usr/bin/env node
// Bundles the NOC dashboard (client TypeScript, CSS, uPlot) into dist/dashboard/: index.html and
// assets/ with content-hashed names, so a browser may cache an asset for ever and a new build is
// never mixed with an old one. Nothing in the output refers to another host.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
  metafile: true,
  logLevel: 'warning',
  tsconfig: join(clientDir, 'tsconfig.json'),
});

const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const js = outputs.find((name) => /^app-.*\.js$/.test(name));
const css = outputs.find((name) => /^app-.*\.css$/.test(name));
if (js === undefined || css === undefined)
  throw new Error(`dashboard build: no app js/css among ${outputs.join(', ')}`);
const html = readFileSync(join(clientDir, 'index.html'), 'utf8').replace('{{js}}', js).replace('{{css}}', css);
writeFileSync(join(outDir, 'index.html'), html);
console.log(`dashboard: ${readdirSync(assetsDir).join(', ')}`);
