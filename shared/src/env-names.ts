/** Every Pantau program reads its environment variables under this prefix. */
export const PANTAU_ENV_PREFIX = 'PANTAU_';

/**
 * Every environment variable some Pantau program reads (both programs' config maps, and
 * `PANTAU_CONFIG` of both command lines). A program refuses a `PANTAU_` variable that no program
 * reads (a typo would otherwise leave a default in place), and lets pass one that belongs to the
 * other program, since a NOC machine may set both in one environment. A test keeps this list equal
 * to the programs' maps.
 */
export const PANTAU_ENV_NAMES: readonly string[] = [
  'PANTAU_ALERTMANAGER_URL',
  'PANTAU_AMQP_URLS',
  'PANTAU_BACKFILL_BYTES_PER_SEC',
  'PANTAU_BROKER_HOST',
  'PANTAU_BROKER_PORT',
  'PANTAU_BUDGET_MONTHLY_BYTES',
  'PANTAU_CLIENTS_SOURCE',
  'PANTAU_CONFIG',
  'PANTAU_DATA_DIR',
  'PANTAU_DELIVERY_ENCODING',
  'PANTAU_DELIVERY_INTERVAL_SEC',
  'PANTAU_DELIVERY_PROFILE',
  'PANTAU_HEALTH_ENABLED',
  'PANTAU_HOST_ENABLED',
  'PANTAU_HTTP_ENABLED',
  'PANTAU_HTTP_HOST',
  'PANTAU_HTTP_PORT',
  'PANTAU_INGEST_CONNECTIONS',
  'PANTAU_INPUT_KIND',
  'PANTAU_LATENCY_DETECT_GATEWAY',
  'PANTAU_LATENCY_TARGETS',
  'PANTAU_LOG_LEVEL',
  'PANTAU_MAX_PAYLOAD_BYTES',
  'PANTAU_MQTT_BACKOFF_MAX_MS',
  'PANTAU_MQTT_BACKOFF_MIN_MS',
  'PANTAU_MQTT_CA_FILE',
  'PANTAU_MQTT_CLIENT_ID',
  'PANTAU_MQTT_KEEPALIVE_SEC',
  'PANTAU_MQTT_PASSWORD',
  'PANTAU_MQTT_PROTOCOL',
  'PANTAU_MQTT_RECONNECT_WITHIN_MS',
  'PANTAU_MQTT_SHARE_GROUP',
  'PANTAU_MQTT_START_DELAY_MAX_MS',
  'PANTAU_MQTT_URL',
  'PANTAU_MQTT_USERNAME',
  'PANTAU_POSTGRES_URL',
  'PANTAU_RETENTION_RAW_DAYS',
  'PANTAU_SAMPLE_INTERVAL_SEC',
  'PANTAU_SITE_ID',
  'PANTAU_SPEEDTEST_MAX_DOWN_BYTES',
  'PANTAU_SPEEDTEST_MAX_UP_BYTES',
  'PANTAU_SPOOL_MAX_SAMPLES',
  'PANTAU_SQLITE_PATH',
  'PANTAU_SQLITE_WORKER',
  'PANTAU_THROUGHPUT_ENABLED',
  'PANTAU_THROUGHPUT_ENDPOINT',
  'PANTAU_TOPIC_ROOT',
  'PANTAU_TERMINAL_KIND',
  'PANTAU_UPTIME_TERMINAL_KIND',
  'PANTAU_USAGE_INTERFACE',
  'PANTAU_USAGE_SOURCE',
  'PANTAU_WEBHOOK_SECRET',
  'PANTAU_WEBHOOK_URL',
];

/** The environment check `loadConfig` applies for a Pantau program. */
export const pantauStrictEnv = { prefix: PANTAU_ENV_PREFIX, knownElsewhere: PANTAU_ENV_NAMES } as const;
