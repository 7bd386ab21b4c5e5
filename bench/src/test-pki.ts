import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A CA and a broker certificate made by openssl for a test or a benchmark, under the shipped file names. */
export interface TestPki {
  /** The CA's certificate (PEM): what an agent pins in mqtt.caFile. */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Another CA's certificate, which did not sign the broker's: an agent pinning it must refuse. */
  readonly wrongCaFile: string;
}

/**
 * Makes the NOC's CA and the broker's certificate (for 127.0.0.1 and localhost) with openssl, as
 * docs/install.md tells a NOC to: EC P-256 keys, SHA-256 signatures. Readable by all, since the
 * broker drops to the `mosquitto` user and the folder is the test's own.
 */
export function makeTestPki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  const path = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  for (const ca of ['pantau-ca', 'wrong-ca']) {
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path(`${ca}.key`)]);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      path(`${ca}.key`),
      '-sha256',
      '-days',
      '30',
      '-subj',
      `/CN=${ca}`,
      '-out',
      path(`${ca}.pem`),
    ]);
  }
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path('pantau-broker.key')]);
  openssl([
    'req',
    '-new',
    '-key',
    path('pantau-broker.key'),
    '-subj',
    '/CN=127.0.0.1',
    '-out',
    path('pantau-broker.csr'),
  ]);
  writeFileSync(path('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl([
    'x509',
    '-req',
    '-in',
    path('pantau-broker.csr'),
    '-CA',
    path('pantau-ca.pem'),
    '-CAkey',
    path('pantau-ca.key'),
    '-CAcreateserial',
    '-days',
    '30',
    '-sha256',
    '-extfile',
    path('ext.cnf'),
    '-out',
    path('pantau-broker.pem'),
  ]);
  for (const file of ['pantau-ca.pem', 'pantau-broker.pem', 'pantau-broker.key', 'wrong-ca.pem'])
    chmodSync(path(file), 0o644);
  chmodSync(dir, 0o755);
  return {
    caFile: path('pantau-ca.pem'),
    certFile: path('pantau-broker.pem'),
    keyFile: path('pantau-broker.key'),
    wrongCaFile: path('wrong-ca.pem'),
  };
}
