import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShippedMosquitto } from './shipped-mosquitto.js';

/**
 * Writes `<dir>/<name>` (a collector config) whose store is in `dir` and whose `provision:` works on
 * the shipped broker's files: its sites' TLS listener, password file, ACL, CA and pid file. `extra`
 * lines (e.g. `mqtt:`) come first. Returns the file's path.
 */
export function writeProvisioningConfig(
  dir: string,
  name: string,
  broker: ShippedMosquitto,
  extra: readonly string[] = [],
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      ...extra,
      `store: { sqlitePath: ${join(dir, `${name}.sqlite`)} }`,
      'provision:',
      `  siteBrokerUrl: ${broker.sitesTlsUrl}`,
      `  passwordFile: ${join(broker.etcDir, 'pantau-sites.passwd')}`,
      `  aclFile: ${join(broker.etcDir, 'pantau.acl')}`,
      `  caFile: ${broker.pki.caFile}`,
      `  outDir: ${join(dir, 'provisioned')}`,
      `  reload: { pidFile: ${broker.pidFile} }`,
      '',
    ].join('\n'),
  );
  return path;
}
