import type { ProvisionConfig } from '../provision/config.js';
import type { ProvisionIo } from '../provision/provision.js';
import { provisionSite, revokeSite } from '../provision/provision.js';
import type { SiteRecord } from '../registry/site-record.js';
import type { SiteRegistry } from '../registry/site-registry.js';
import { applySiteSet } from '../registry/site-set.js';
import { siteSetArgs } from './health-args.js';
import type { CommandOutput } from './registry-commands.js';

export interface ProvisionArgs {
  readonly siteId: string;
  readonly action: 'provision' | 'rotate' | 'revoke';
  /** Registry fields as `sites set` takes them (`field=value`). */
  readonly assignments: string[];
  readonly config: string | undefined;
  readonly db: string | undefined;
}

/**
 * `provision SITE [--rotate | --revoke] [--FIELD VALUE ...]` and `decommission SITE`; the options
 * `--config`/`-c` and `--db` as everywhere. Returns the arguments or a usage message.
 */
export function parseProvisionArgs(
  command: 'provision' | 'decommission',
  argv: readonly string[],
): ProvisionArgs | string {
  const [siteId, ...rest] = argv;
  if (siteId === undefined || siteId.startsWith('-')) return `${command} needs SITE`;
  const rotate = rest.includes('--rotate');
  const revoke = command === 'decommission' || rest.includes('--revoke');
  if (rotate && revoke) return `${command}: --rotate and --revoke exclude each other`;
  const parsed = siteSetArgs(rest.filter((word) => word !== '--rotate' && word !== '--revoke'));
  if (typeof parsed === 'string') return parsed;
  if (revoke && parsed.assignments.length > 0) return `${command} takes no site fields`;
  return {
    siteId,
    action: revoke ? 'revoke' : rotate ? 'rotate' : 'provision',
    assignments: parsed.assignments,
    config: parsed.config,
    db: parsed.db,
  };
}

export interface ProvisionContext {
  readonly registry: SiteRegistry;
  readonly config: ProvisionConfig;
  readonly topicRoot: string;
  readonly io: ProvisionIo;
  /** The decommission time a revoke marks the site with. */
  readonly nowMs: () => number;
}

const RELOAD_HINT =
  'the broker has not read the change: reload it (`systemctl reload mosquitto`) or fix provision.reload';

/** Runs provision, rotate or decommission and says what was done and what the technician does next. */
export async function runProvision(args: ProvisionArgs, ctx: ProvisionContext): Promise<CommandOutput> {
  const { siteId } = args;
  if (args.action === 'revoke') return revoke(siteId, ctx);
  const registered = await ctx.registry.get(siteId);
  let record: SiteRecord | null = registered;
  if (args.assignments.length > 0) {
    const set = applySiteSet(siteId, record, args.assignments);
    if (!set.ok) return failed(`${siteId}: not provisioned (${set.code}):\n${set.message}`);
    record = set.value;
  }
  if (record === null) {
    return failed(
      `${siteId}: not provisioned (provision_unregistered): the site is not in the registry; give its fields ` +
        '(--name, --kabupaten_code, ... as `sites set` takes them) or `sites import` it first',
    );
  }
  const done = await provisionSite(
    { siteId, record, rotate: args.action === 'rotate', topicRoot: ctx.topicRoot },
    ctx.config,
    ctx.io,
  );
  if (!done.ok) return failed(`${siteId}: not provisioned (${done.code}): ${done.message}`);
  // Written once the site has its login: a decommissioned site is in service again only then (the
  // registry write clears the mark), and a refused provisioning changes nothing.
  const recommissioned = registered?.decommissionedMs ?? null;
  if (args.assignments.length > 0 || recommissioned !== null) await ctx.registry.upsert([record]);
  const p = done.value;
  const files = p.bundleDir;
  const out = [
    `${siteId}: ${p.rotated ? 'new password (the old one stops working now)' : 'provisioned'}` +
      `${p.aclPatternsAdded ? '; the site patterns were added to the ACL' : ''}` +
      `${recommissioned === null ? '' : `; recommissioned (decommissioned since ${new Date(recommissioned).toISOString()}): health judges it again`}`,
    '',
    p.card,
    p.qr.terminal,
    `The site's files, in ${files}/:`,
    '  agent.yaml   the agent config (the QR code above holds it, without its comments)',
    ...(ctx.config.siteBrokerUrl?.startsWith('mqtts://') ? ['  ca.pem       the CA certificate the agent pins'] : []),
    '  card.txt     the lines above; qr.svg, qr.png: the QR code to print',
    'On the Pi, as root, after installing the package (README, "Installing a site"):',
    '  install -m 640 -g pantau agent.yaml /etc/pantau/agent.yaml && install -m 644 ca.pem /etc/pantau/ca.pem',
    '  pantau-agent check --config /etc/pantau/agent.yaml && systemctl restart pantau-agent',
    '',
  ].join('\n');
  if (!p.reload.ok) return { code: 1, out, err: `${siteId}: ${p.reload.code}: ${p.reload.message}; ${RELOAD_HINT}\n` };
  return { code: 0, out, err: '' };
}

async function revoke(siteId: string, ctx: ProvisionContext): Promise<CommandOutput> {
  const done = await revokeSite(siteId, ctx.config, ctx.io);
  if (!done.ok) return failed(`${siteId}: not decommissioned (${done.code}): ${done.message}`);
  const marked = await ctx.registry.decommission(siteId, ctx.nowMs());
  const what = [
    done.value.removed ? 'login removed' : 'had no login',
    marked
      ? 'marked decommissioned in the registry (no more alerts for it; its stored history stays)'
      : 'was not in the registry',
  ];
  const out = `${siteId}: decommissioned: ${what.join('; ')}\n`;
  const reload = done.value.reload;
  if (reload !== null && !reload.ok)
    return { code: 1, out, err: `${siteId}: ${reload.code}: ${reload.message}; ${RELOAD_HINT}\n` };
  return { code: 0, out, err: '' };
}

function failed(message: string): CommandOutput {
  return { code: 1, out: '', err: `${message}\n` };
}
