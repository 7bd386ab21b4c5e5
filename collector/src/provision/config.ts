import { z } from 'zod';

const path = z.string().min(1);

/**
 * `pantau-collector provision` and `decommission`: where the broker's files are, how it is told to
 * read them again, and what the sites' agent configs say (docs/provisioning.md).
 */
export const provisionConfigSchema = z
  .strictObject({
    /** The broker URL sites dial, written into each agent config: mqtts://<the NOC's name>:8883. */
    siteBrokerUrl: z
      .string()
      .regex(/^mqtts?:\/\/[^\s/]+$/, 'a site broker URL looks like mqtts://noc.example:8883')
      .optional(),
    /** The sites' password file (the listener sites log in on); Mosquitto's format. */
    passwordFile: path.default('/etc/mosquitto/pantau-sites.passwd'),
    /** The broker's ACL: it must give each site its own topics (the patterns are added if missing). */
    aclFile: path.default('/etc/mosquitto/pantau.acl'),
    /** The NOC's CA certificate, copied beside each agent config for the site to pin. */
    caFile: path.default('/etc/mosquitto/certs/pantau-ca.pem'),
    /** The group the broker runs as: the files are 0640 with it (it re-reads them as that user), else 0600. */
    brokerGroup: z.string().min(1).default('mosquitto'),
    /**
     * How the broker is told to read its files again: SIGHUP to the process in `pidFile`, or, without
     * one, `command` (Debian's unit reloads with SIGHUP).
     */
    reload: z
      .strictObject({
        pidFile: path.optional(),
        command: z.array(z.string().min(1)).min(1).default(['systemctl', 'reload', 'mosquitto']),
        timeoutSec: z.int().min(1).max(600).default(30),
      })
      .prefault({}),
    /** Where each site's agent config, CA and cards are written: <outDir>/<site id>/. */
    outDir: path.default('provisioned'),
    /** How long a provision waits for another one changing the broker's files. */
    lockWaitSec: z.int().min(1).max(600).default(30),
  })
  .prefault({});
export type ProvisionConfig = z.infer<typeof provisionConfigSchema>;
