import { fail, ok, type Result } from '@pantau/shared';
import type { SiteRecord } from '../registry/site-record.js';
import { withSitePatterns } from './acl-patterns.js';
import { agentConfigYaml } from './agent-config.js';
import type { FileOwner } from './atomic-file.js';
import type { ProvisionConfig } from './config.js';
import { newSitePassword } from './credentials.js';
import type { Release } from './file-lock.js';
import { mosquittoHash, passwordEntry, removePasswordEntry, setPasswordEntry } from './password-file.js';
import { type SiteQr, siteCardText, siteQr } from './site-card.js';

export interface BundleFile {
  readonly name: string;
  readonly data: string | Buffer;
  /** 0o600 for what holds the password. */
  readonly mode: number;
}

/** The file system and processes provisioning touches. */
export interface ProvisionIo {
  /** A file's text, or null when it does not exist. */
  readText(path: string): Promise<string | null>;
  writeAtomic(path: string, text: string, owner: FileOwner): Promise<void>;
  /** The id of a group by name, or null when there is none. */
  groupId(name: string): Promise<number | null>;
  lock(path: string, waitMs: number): Promise<Release | null>;
  reload(): Promise<Result<string, 'broker_reload_failed'>>;
  randomBytes(n: number): Buffer;
  /** Replaces the folder's files with these (the folder 0700). */
  writeBundle(dir: string, files: readonly BundleFile[]): Promise<void>;
  removeBundle(dir: string): Promise<void>;
  joinPath(...parts: string[]): string;
}

export type ProvisionCode =
  | 'provision_config_missing'
  | 'provision_site_reserved'
  | 'provision_exists'
  | 'provision_locked'
  | 'provision_ca_unreadable'
  | 'provision_files_unwritable';

export interface Provisioned {
  readonly siteId: string;
  readonly password: string;
  /** True when a login existed and was replaced. */
  readonly rotated: boolean;
  readonly aclPatternsAdded: boolean;
  readonly bundleDir: string;
  readonly card: string;
  readonly qr: SiteQr;
  /** The broker read the new file (or why not: the login then works only after a reload). */
  readonly reload: Result<string, 'broker_reload_failed'>;
}

export interface Revoked {
  readonly siteId: string;
  /** False when the site had no login (nothing changed, nothing reloaded). */
  readonly removed: boolean;
  readonly reload: Result<string, 'broker_reload_failed'> | null;
}

/**
 * Gives a site a new broker login (a random password, its hash in the broker's password file),
 * makes sure the ACL gives sites their own topics, tells the broker, and writes the site's agent
 * config with the CA and the technician's cards. A site that already has a login is refused
 * unless `rotate`: its old password stops working at the reload.
 */
export async function provisionSite(
  request: { siteId: string; record: SiteRecord | null; rotate: boolean; topicRoot: string },
  config: ProvisionConfig,
  io: ProvisionIo,
): Promise<Result<Provisioned, ProvisionCode>> {
  const { siteId } = request;
  if (siteId.startsWith('pantau-')) {
    // The broker binds client id to user name; pantau-* are the collectors' client ids.
    return fail('provision_site_reserved', `site ids starting with pantau- are kept for the NOC's own clients`);
  }
  const brokerUrl = config.siteBrokerUrl;
  if (brokerUrl === undefined) {
    return fail(
      'provision_config_missing',
      'set provision.siteBrokerUrl (the URL sites dial, e.g. mqtts://noc.example:8883)',
    );
  }
  const ca = brokerUrl.startsWith('mqtts://') ? await io.readText(config.caFile).catch(() => null) : '';
  if (ca === null) {
    return fail('provision_ca_unreadable', `cannot read the CA certificate ${config.caFile} (provision.caFile)`);
  }
  return withBrokerFiles(config, io, async (owner) => {
    const passwords = (await io.readText(config.passwordFile)) ?? '';
    const existing = passwordEntry(passwords, siteId);
    if (existing !== null && !request.rotate) {
      return fail(
        'provision_exists',
        `${siteId} already has a login; --rotate gives it a new password (the old one stops working)`,
      );
    }
    const password = newSitePassword((n) => io.randomBytes(n));
    const agentYaml = agentConfigYaml({ siteId, password, brokerUrl }, request.record, request.topicRoot);
    const r = request.record;
    const place = r === null ? null : `${r.name}, ${r.desa}, ${r.kecamatan}, ${r.kabupaten}`;
    const card = siteCardText({ siteId, place, brokerUrl, password });
    // The QR code holds the config without its comments: fewer modules, easier to photograph.
    const qr = await siteQr(agentYaml.replace(/^#.*\n/gm, ''));
    // The site's files first: a login whose password was never written down would be lost to all.
    const bundleDir = io.joinPath(config.outDir, siteId);
    await io.writeBundle(bundleDir, [
      { name: 'agent.yaml', data: agentYaml, mode: 0o600 },
      ...(ca === '' ? [] : [{ name: 'ca.pem', data: ca, mode: 0o644 }]),
      { name: 'card.txt', data: card, mode: 0o600 },
      { name: 'qr.svg', data: qr.svg, mode: 0o600 },
      { name: 'qr.png', data: qr.png, mode: 0o600 },
    ]);
    let aclPatternsAdded = false;
    try {
      const acl = (await io.readText(config.aclFile)) ?? '';
      const withPatterns = withSitePatterns(acl, request.topicRoot);
      aclPatternsAdded = withPatterns !== acl;
      // The password file last: a failure before it leaves no login whose password nobody has.
      if (aclPatternsAdded) await io.writeAtomic(config.aclFile, withPatterns, owner);
      const hashed = mosquittoHash(password, io.randomBytes(12));
      await io.writeAtomic(config.passwordFile, setPasswordEntry(passwords, siteId, hashed), owner);
    } catch (error) {
      // Files whose password the broker does not hold would only mislead the technician.
      await io.removeBundle(bundleDir);
      throw error;
    }
    const reload = await io.reload();
    return ok({
      siteId,
      password,
      rotated: existing !== null,
      aclPatternsAdded,
      bundleDir,
      card,
      qr,
      reload,
    });
  });
}

/** Removes a site's login from the broker's password file and tells the broker; idempotent. */
export async function revokeSite(
  siteId: string,
  config: ProvisionConfig,
  io: ProvisionIo,
): Promise<Result<Revoked, ProvisionCode>> {
  return withBrokerFiles<Revoked>(config, io, async (owner) => {
    const passwords = (await io.readText(config.passwordFile)) ?? '';
    await io.removeBundle(io.joinPath(config.outDir, siteId));
    if (passwordEntry(passwords, siteId) === null) return ok({ siteId, removed: false, reload: null });
    await io.writeAtomic(config.passwordFile, removePasswordEntry(passwords, siteId), owner);
    return ok({ siteId, removed: true, reload: await io.reload() });
  });
}

/** Runs `change` holding the lock on the broker's files; a failed write is a value with what to do. */
async function withBrokerFiles<T>(
  config: ProvisionConfig,
  io: ProvisionIo,
  change: (owner: FileOwner) => Promise<Result<T, ProvisionCode>>,
): Promise<Result<T, ProvisionCode>> {
  const lockPath = `${config.passwordFile}.lock`;
  let release: Release | null;
  try {
    release = await io.lock(lockPath, config.lockWaitSec * 1000);
  } catch (error) {
    return fail('provision_files_unwritable', `cannot create ${lockPath}: ${(error as Error).message}`);
  }
  if (release === null) {
    return fail('provision_locked', `another provision holds ${lockPath} for over ${config.lockWaitSec} s`);
  }
  try {
    const gid = await io.groupId(config.brokerGroup);
    return await change(gid === null ? { gid: null, mode: 0o600 } : { gid, mode: 0o640 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === undefined) throw error;
    return fail(
      'provision_files_unwritable',
      `${e.message} (run as root, or as a user who may write the broker's files)`,
    );
  } finally {
    await release();
  }
}
