import { createHash } from 'node:crypto';
import type { AgentConfig } from './schema.js';

/** A short hash of the effective config, without secrets, so the NOC can spot a drifted site. */
export function configHash(config: AgentConfig): string {
  const { password: _password, ...mqtt } = config.mqtt;
  const text = JSON.stringify({ ...config, mqtt });
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
