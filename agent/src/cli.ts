import { parseArgs } from 'node:util';
import { type CheckLanguage, checkLanguages } from './check/messages.js';

export const AGENT_HELP = `pantau-agent: measures a village internet site and delivers the samples to the NOC.

Usage:
  pantau-agent run [--config FILE]     sample every interval and publish over MQTT
  pantau-agent check [--config FILE] [--lang en|id]
                                       self-test at install: config, every probe, the broker
                                       round trip, the clock, disk space (exit 1 on a failure)
  pantau-agent --help                  this text
  pantau-agent --version               the agent's version

Options:
  -c, --config FILE   YAML or JSON config (default: $PANTAU_CONFIG, else defaults + environment)
      --lang en|id    language of the self-test: English (default) or Bahasa Indonesia

Environment (overrides the file):
  PANTAU_SITE_ID, PANTAU_MQTT_URL, PANTAU_MQTT_USERNAME, PANTAU_MQTT_PASSWORD, PANTAU_MQTT_CA_FILE,
  PANTAU_MQTT_KEEPALIVE_SEC, PANTAU_MQTT_BACKOFF_MIN_MS, PANTAU_MQTT_BACKOFF_MAX_MS,
  PANTAU_MQTT_START_DELAY_MAX_MS, PANTAU_MQTT_RECONNECT_WITHIN_MS, PANTAU_SAMPLE_INTERVAL_SEC,
  PANTAU_LATENCY_TARGETS (JSON),
  PANTAU_LATENCY_DETECT_GATEWAY, PANTAU_DELIVERY_PROFILE, PANTAU_DELIVERY_INTERVAL_SEC,
  PANTAU_DELIVERY_ENCODING, PANTAU_BACKFILL_BYTES_PER_SEC, PANTAU_SPOOL_MAX_SAMPLES,
  PANTAU_USAGE_SOURCE, PANTAU_USAGE_INTERFACE, PANTAU_CLIENTS_SOURCE, PANTAU_BUDGET_MONTHLY_BYTES,
  PANTAU_THROUGHPUT_ENDPOINT, PANTAU_THROUGHPUT_ENABLED, PANTAU_DATA_DIR, PANTAU_TOPIC_ROOT,
  PANTAU_LOG_LEVEL

Exit codes: 0 stopped cleanly, 2 bad usage or config, 1 failure.
`;

export type AgentCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; configPath: string | undefined }
  | { kind: 'check'; configPath: string | undefined; lang: CheckLanguage }
  | { kind: 'usage_error'; message: string };

export function parseAgentArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): AgentCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { kind: 'usage_error', message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const [command, ...extra] = positionals;
  if (command === undefined) return { kind: 'help' };
  if (extra.length > 0) return { kind: 'usage_error', message: `unexpected argument: ${extra.join(' ')}` };
  const configPath = values.config ?? nonEmpty(env.PANTAU_CONFIG);
  if (command === 'run') return { kind: 'run', configPath };
  if (command === 'check') {
    const lang = checkLanguages.find((l) => l === (values.lang ?? 'en'));
    if (lang === undefined) return { kind: 'usage_error', message: `--lang takes en or id, not ${values.lang}` };
    return { kind: 'check', configPath, lang };
  }
  return { kind: 'usage_error', message: `unknown command: ${command}` };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
