import { DEFAULT_TOPIC_ROOT } from '@pantau/shared';
import { stringify } from 'yaml';
import type { SiteRecord } from '../registry/site-record.js';

/** Where the Debian package keeps the agent's files (deploy/debian). */
export const SITE_CA_PATH = '/etc/pantau/ca.pem';
const SITE_DATA_DIR = '/var/lib/pantau';

export interface SiteLogin {
  readonly siteId: string;
  readonly password: string;
  readonly brokerUrl: string;
}

/**
 * The site's /etc/pantau/agent.yaml: its identity, the broker and its login, the pinned CA (for an
 * mqtts:// broker), and the sampling and delivery intervals the registry expects of it. Every other
 * key keeps the agent's default (README, "The agent").
 */
export function agentConfigYaml(login: SiteLogin, record: SiteRecord | null, topicRoot: string): string {
  const tls = login.brokerUrl.startsWith('mqtts://');
  const config = {
    siteId: login.siteId,
    ...(topicRoot === DEFAULT_TOPIC_ROOT ? {} : { topicRoot }),
    mqtt: {
      url: login.brokerUrl,
      ...(tls ? { caFile: SITE_CA_PATH } : {}),
      username: login.siteId,
      password: login.password,
    },
    dataDir: SITE_DATA_DIR,
    ...(record?.sampleIntervalSec == null ? {} : { sample: { intervalSec: record.sampleIntervalSec } }),
    ...(record?.deliveryIntervalSec == null ? {} : { delivery: { intervalSec: record.deliveryIntervalSec } }),
  };
  const place = record === null ? '' : ` (${record.name}, ${record.desa}, ${record.kecamatan}, ${record.kabupaten})`;
  const head = [
    `# Pantau agent for ${login.siteId}${place}, written by pantau-collector provision.`,
    `# Install as /etc/pantau/agent.yaml${tls ? ` with ca.pem as ${SITE_CA_PATH}` : ''}, then run`,
    '# `pantau-agent check --config /etc/pantau/agent.yaml`. It holds the site password: keep it private.',
  ];
  return `${head.join('\n')}\n${stringify(config)}`;
}
