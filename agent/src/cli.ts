import { parseArgs } from 'node:util';

export const AGENT_HELP = `pantau-agent: measures a village internet site and delivers the samples to the NOC.

Usage:
  pantau-agent run [--config FILE]     sample every interval and publish over MQTT
  pantau-agent --help                  this text
  pantau-agent --version               the agent's version

Options:
  -c, --config FILE   YAML or JSON config (default: $PANTAU_CONFIG, else defaults + environment)

Environment (overrides the file):
  PANTAU_SITE_ID, PANTAU_MQTT_URL, PANTAU_MQTT_USERNAME, PANTAU_MQTT_PASSWORD,
  PANTAU_MQTT_KEEPALIVE_SEC, PANTAU_SAMPLE_INTERVAL_SEC, PANTAU_LATENCY_TARGETS (JSON),
  PANTAU_DATA_DIR, PANTAU_TOPIC_ROOT, PANTAU_LOG_LEVEL, PANTAU_LATENCY_DETECT_GATEWAY,
  PANTAU_BUDGET_MONTHLY_BYTES, PANTAU_THROUGHPUT_ENDPOINT, PANTAU_THROUGHPUT_ENABLED

Exit codes: 0 stopped cleanly, 2 bad usage or config, 1 failure.
`;

export type AgentCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; configPath: string | undefined }
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
  if (command !== 'run') return { kind: 'usage_error', message: `unknown command: ${command}` };
  return { kind: 'run', configPath: values.config ?? nonEmpty(env.PANTAU_CONFIG) };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
