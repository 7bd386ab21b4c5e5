#!/usr/bin/env node
// @ts-check
// `pnpm package:agent`: the agent as one file (esbuild) and a Debian package per Pi architecture,
// built with dpkg-deb. Run after `tsc -b` (the script does), from anywhere in the checkout.
//
//   node deploy/debian/build.mjs [--out DIR] [--version V] [--arch arm64,armhf]
//
// What goes where, and why: docs/install.md, "What the package holds".
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const agentDir = join(root, 'agent');

/**
 * The serialport addon built for each Debian architecture. armhf takes the ARMv6 build (hard float,
 * VFPv2): it runs on Raspberry Pi OS's armhf (ARMv6, Pi 1 and Zero) and on Debian's (ARMv7).
 */
const SERIAL_PREBUILDS = {
  arm64: 'linux-arm64/@serialport+bindings-cpp.armv8.glibc.node',
  armhf: 'linux-arm/@serialport+bindings-cpp.armv6.glibc.node',
  amd64: 'linux-x64/@serialport+bindings-cpp.glibc.node',
};

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'dist-pkg') },
    version: { type: 'string' },
    arch: { type: 'string', default: 'arm64,armhf' },
  },
});
const out = values.out ?? join(root, 'dist-pkg');
const version = values.version ?? JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8')).version;
const arches = (values.arch ?? '').split(',').filter((a) => a !== '');
for (const arch of arches) {
  if (!(arch in SERIAL_PREBUILDS)) throw new Error(`no serialport build for ${arch}: ${Object.keys(SERIAL_PREBUILDS)}`);
}

const bundle = await bundleAgent(join(out, 'bundle'));
for (const arch of arches) {
  const deb = buildDeb(/** @type {keyof typeof SERIAL_PREBUILDS} */ (arch), bundle);
  process.stdout.write(`${relative(process.cwd(), deb)}\n`);
}

/**
 * One ESM file with every dependency inside, started by the bin's shebang (its Node flags kept).
 * Two modules are changed on the way in: the version, read from package.json at run time in the
 * checkout, becomes a constant; and serialport's addon, found by node-gyp-build next to its package,
 * is loaded from `serialport-bindings.node` beside the bundle, where the package puts its
 * architecture's build. The bundle stays unminified: stack traces in the journal name functions.
 * @param {string} dir
 */
async function bundleAgent(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'pantau-agent.mjs');
  await build({
    entryPoints: [join(agentDir, 'bin', 'pantau-agent.js')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // The CommonJS dependencies call require() for Node's own modules (and the addon).
    banner: {
      js: "import { createRequire as pantauCreateRequire } from 'node:module';\nconst require = pantauCreateRequire(import.meta.url);",
    },
    legalComments: 'eof',
    logLevel: 'warning',
    plugins: [
      {
        name: 'pantau-agent-package',
        setup(b) {
          b.onLoad({ filter: /[\\/]agent[\\/]dist[\\/]version\.js$/ }, () => ({
            contents: `export const AGENT_VERSION = ${JSON.stringify(version)};\n`,
            loader: 'js',
          }));
          b.onLoad({ filter: /[\\/]bindings-cpp[\\/]dist[\\/]serialport-bindings\.js$/ }, (args) => {
            const text = readFileSync(args.path, 'utf8');
            const call = "(0, node_gyp_build_1.default)((0, path_1.join)(__dirname, '../'))";
            if (!text.includes(call)) throw new Error(`serialport's addon loading changed: ${args.path}`);
            return { contents: text.replace(call, "require('./serialport-bindings.node')"), loader: 'js' };
          });
          b.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  });
  const text = readFileSync(outfile, 'utf8');
  if (!text.startsWith('#!/usr/bin/env -S node ')) throw new Error('the bundle lost the bin shebang');
  chmodSync(outfile, 0o755);
  return outfile;
}

/**
 * @param {keyof typeof SERIAL_PREBUILDS} arch
 * @param {string} bundlePath
 */
function buildDeb(arch, bundlePath) {
  const stage = join(out, `stage-${arch}`);
  rmSync(stage, { recursive: true, force: true });
  const lib = join(stage, 'usr/lib/pantau-agent');
  mkdirSync(lib, { recursive: true });
  copyFileSync(bundlePath, join(lib, 'pantau-agent.mjs'));
  chmodSync(join(lib, 'pantau-agent.mjs'), 0o755);
  const serialDir = dirname(createRequire(join(agentDir, 'package.json')).resolve('serialport'));
  const bindings = dirname(createRequire(serialDir).resolve('@serialport/bindings-cpp/package.json'));
  copyFileSync(join(bindings, 'prebuilds', SERIAL_PREBUILDS[arch]), join(lib, 'serialport-bindings.node'));
  mkdirSync(join(stage, 'usr/bin'), { recursive: true });
  symlinkSync('../lib/pantau-agent/pantau-agent.mjs', join(stage, 'usr/bin/pantau-agent'));

  place('pantau-agent.service', 'usr/lib/systemd/system/pantau-agent.service', 0o644);
  place('sysusers.conf', 'usr/lib/sysusers.d/pantau-agent.conf', 0o644);
  place('tmpfiles.conf', 'usr/lib/tmpfiles.d/pantau-agent.conf', 0o644);
  place('agent.yaml', 'etc/pantau/agent.yaml', 0o640);
  chmodSync(join(stage, 'etc/pantau'), 0o750);
  place('copyright', 'usr/share/doc/pantau-agent/copyright', 0o644);
  for (const script of ['postinst', 'prerm', 'postrm']) place(script, `DEBIAN/${script}`, 0o755);
  writeFileSync(join(stage, 'DEBIAN/conffiles'), '/etc/pantau/agent.yaml\n');

  const installedKiB = Math.ceil(duBytes(join(stage, 'usr')) / 1024) + 4;
  const control = readFileSync(join(here, 'control'), 'utf8')
    .replace('@VERSION@', version)
    .replace('@ARCH@', arch)
    .replace('@INSTALLED_SIZE@', String(installedKiB));
  writeFileSync(join(stage, 'DEBIAN/control'), control);
  const deb = join(out, `pantau-agent_${version}_${arch}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, deb], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  rmSync(stage, { recursive: true, force: true });
  return deb;

  /**
   * @param {string} from a file of deploy/debian/
   * @param {string} to its path in the package
   * @param {number} mode
   */
  function place(from, to, mode) {
    const target = join(stage, to);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(here, from), target);
    chmodSync(target, mode);
  }
}

/** @param {string} path */
function duBytes(path) {
  const output = execFileSync('du', ['-sb', path], { encoding: 'utf8' });
  return Number(output.split('\t')[0]) || statSync(path).size;
}
