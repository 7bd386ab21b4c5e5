import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunResult, runProgram } from './bins.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const PACKAGE_BUILD_SCRIPT = join(root, 'deploy/debian/build.mjs');

/** `pnpm package:agent`'s script (after the build `pnpm test` runs first): the .deb paths by architecture. */
export async function buildAgentPackages(
  out: string,
  options: { version: string; arches: readonly string[] },
): Promise<Record<string, string>> {
  const built = await runProgram(process.execPath, [
    PACKAGE_BUILD_SCRIPT,
    '--out',
    out,
    '--version',
    options.version,
    '--arch',
    options.arches.join(','),
  ]);
  if (built.code !== 0) throw new Error(`the package build failed: ${built.stderr}`);
  return Object.fromEntries(
    options.arches.map((arch) => [arch, join(out, `pantau-agent_${options.version}_${arch}.deb`)]),
  );
}

/**
 * An empty system for `dpkg --root`: its own package database, so dpkg installs into it and runs the
 * maintainer scripts outside a chroot with DPKG_ROOT set (`--force-script-chrootless`), which the
 * scripts honour: nothing of this machine's /etc, users or systemd is touched.
 */
export function makeDpkgRoot(dir: string): string {
  for (const sub of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/log', 'etc']) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  writeFileSync(join(dir, 'var/lib/dpkg/status'), '');
  writeFileSync(join(dir, 'var/lib/dpkg/available'), '');
  return dir;
}

/** dpkg on the temporary root; a Pi package on this machine needs its architecture and dependencies waived. */
export function dpkgInRoot(dpkgRoot: string, args: readonly string[]): Promise<RunResult> {
  return runProgram('dpkg', [
    `--root=${dpkgRoot}`,
    '--force-script-chrootless',
    '--force-architecture',
    '--force-depends',
    ...args,
  ]);
}

/**
 * Debian 13's Node for arm64 (and what it needs), downloaded with apt-get from Debian's archive into
 * `dir` with a private apt configuration (its own sources, lists, cache and an empty status), then
 * unpacked there: this machine's apt setup, architectures and packages stay as they are. Returns
 * the root to hand qemu-aarch64 with `-L`, or why it cannot.
 */
export async function debianArm64Node(
  dir: string,
): Promise<{ ok: true; sysroot: string; node: string } | { ok: false; reason: string }> {
  const apt = join(dir, 'apt');
  for (const sub of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(apt, sub), { recursive: true });
  writeFileSync(join(apt, 'sources.list'), 'deb [arch=arm64] http://deb.debian.org/debian trixie main\n');
  writeFileSync(join(apt, 'status'), '');
  const options = [
    `Dir::State::Lists=${join(apt, 'lists')}`,
    `Dir::State::status=${join(apt, 'status')}`,
    `Dir::Cache=${join(apt, 'cache')}`,
    `Dir::Etc::SourceList=${join(apt, 'sources.list')}`,
    'Dir::Etc::SourceParts=/dev/null',
    'APT::Architecture=arm64',
    'APT::Architectures::=arm64',
    'Debug::NoLocking=1',
  ].flatMap((o) => ['-o', o]);
  const update = await runProgram('apt-get', [...options, '-q', 'update'], { timeoutMs: 300_000 });
  if (update.code !== 0) return { ok: false, reason: `apt-get update of Debian trixie arm64 failed: ${update.stderr}` };
  const download = await runProgram(
    'apt-get',
    [...options, '-q', '-y', '--download-only', '--no-install-recommends', 'install', 'nodejs'],
    { timeoutMs: 300_000 },
  );
  if (download.code !== 0) return { ok: false, reason: `apt-get could not download nodejs:arm64: ${download.stderr}` };
  const sysroot = join(dir, 'sysroot');
  mkdirSync(sysroot, { recursive: true });
  const archives = join(apt, 'cache/archives');
  const listed = await runProgram('find', [archives, '-maxdepth', '1', '-name', '*.deb']);
  for (const deb of listed.stdout.split('\n').filter((line) => line !== '')) {
    const unpacked = await runProgram('dpkg-deb', ['-x', deb, sysroot]);
    if (unpacked.code !== 0) return { ok: false, reason: `dpkg-deb -x ${deb}: ${unpacked.stderr}` };
  }
  // Debian 13's packages put everything under /usr; the /lib link comes from base-files (merged /usr).
  symlinkSync('usr/lib', join(sysroot, 'lib'));
  return { ok: true, sysroot, node: join(sysroot, 'usr/bin/node') };
}
