import { chmodSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the global setup tells each test file the run's temporary folder is. Not a `PANTAU_`
 * variable: the programs the tests start refuse unknown ones, and they inherit this environment.
 */
export const RUN_TMP_ENV = 'VITEST_PANTAU_RUN_TMP';

/**
 * A temporary folder others can pass through: Mosquitto and PostgreSQL, started as root, drop to
 * their own users and must reach the folders the tests make below it.
 */
export function makeSharedTempDir(parent: string, prefix: string): string {
  const dir = mkdtempSync(join(parent, prefix));
  chmodSync(dir, 0o755);
  return dir;
}
