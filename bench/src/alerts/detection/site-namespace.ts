import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A network namespace for one agent, joined to this machine's own namespace by a veth pair on a
 * private /30 that exists only between them: the agent reaches the NOC's broker at `hostAddress`,
 * and `cut()` takes the link down without a packet to either side (a dead uplink, as the broker
 * sees it). Needs root (CAP_NET_ADMIN) and iproute2.
 */
export interface SiteNamespace {
  readonly name: string;
  /** This machine's end, where the broker listens for the site. */
  readonly hostAddress: string;
  /** The command that runs a program inside the namespace (`ip netns exec <name>`). */
  readonly exec: readonly string[];
  cut(): Promise<void>;
  destroy(): Promise<void>;
}

export async function createSiteNamespace(): Promise<SiteNamespace> {
  const id = randomBytes(3).toString('hex');
  const name = `pantau-site-${id}`;
  // Interface names are at most 15 characters.
  const hostEnd = `ps${id}h`;
  const siteEnd = `ps${id}s`;
  const subnet = randomBytes(2);
  const base = `10.251.${subnet[0] ?? 0}`;
  const last = ((subnet[1] ?? 0) & 0xfc) % 252;
  const hostAddress = `${base}.${last + 1}`;
  const siteAddress = `${base}.${last + 2}`;
  const destroy = async () => {
    // Deleting the namespace deletes the veth end in it, and with it the pair.
    await run('ip', ['netns', 'delete', name]).catch(() => {});
    await run('ip', ['link', 'delete', hostEnd]).catch(() => {});
  };
  try {
    await run('ip', ['netns', 'add', name]);
    await run('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', siteEnd]);
    await run('ip', ['link', 'set', siteEnd, 'netns', name]);
    await run('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostEnd]);
    await run('ip', ['link', 'set', hostEnd, 'up']);
    await run('ip', ['-n', name, 'addr', 'add', `${siteAddress}/30`, 'dev', siteEnd]);
    await run('ip', ['-n', name, 'link', 'set', siteEnd, 'up']);
    await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    await destroy();
    const e = error as { stderr?: string; message: string };
    throw new Error(`no network namespace (needs root and iproute2): ${e.stderr?.trim() || e.message}`);
  }
  return {
    name,
    hostAddress,
    exec: ['ip', 'netns', 'exec', name],
    async cut() {
      await run('ip', ['link', 'set', hostEnd, 'down']);
    },
    destroy,
  };
}
