/** The self-test's English texts. Placeholders in braces; every key has its Bahasa Indonesia twin in id.ts. */
export const en = {
  'title.config': 'config',
  'title.broker': 'broker',
  'title.clock': 'clock',
  'title.disk': 'disk',
  'title.latency': 'latency',
  'title.uptime': 'uptime',
  'title.usage': 'usage',
  'title.clients': 'clients',
  'title.power': 'power',
  'title.throughput': 'throughput',
  'word.pass': 'PASS',
  'word.fail': 'FAIL',
  'word.fix': 'fix',
  'word.summaryPass': 'All checks passed: this site is ready.',
  'word.summaryFail': 'Some checks failed: fix them and run `pantau-agent check` again.',
  'fix.config_unreadable': 'check the path given to --config or PANTAU_CONFIG',
  'fix.config_invalid': 'fix the fields named above in the file or environment variable',
  'fix.broker_untrusted':
    "the broker's certificate is not signed by the CA in mqtt.caFile, or is for another host: get the NOC's CA and broker name",
  'fix.broker_cert_time':
    "the broker's certificate is not valid at this clock's time: check NTP (timedatectl status), then check again",
  'fix.mqtt_ca_unreadable': "copy the NOC's CA certificate to the file in mqtt.caFile, readable by the pantau user",
  'fix.mqtt_ca_invalid': "mqtt.caFile holds no PEM certificate: copy the NOC's CA certificate there",
  'fix.ping_missing': 'install ping: apt-get install iputils-ping',
  'fix.host_unresolved': 'check the host name and the site DNS, or configure an IP address',
  'fix.no_reply': 'the target did not answer: check the cable, the terminal and its power',
  'fix.no_targets': 'add probes.latency.targets to the config (gateway, terminal, internet)',
  'fix.probe_timeout': 'the probe hung: check the device or target it reads',
  'fix.probe_crashed': 'a bug in the agent: send the agent log to the NOC',
  'fix.uptime_unreadable': '/proc/uptime cannot be read: run the agent on Linux with /proc mounted',
  'fix.terminal_unreachable':
    'nothing answers at the terminal address: check probes.terminal (or uptime.terminal) and the cable to the dish',
  'fix.terminal_timeout':
    'the terminal did not answer in time: check that the dish is powered and reachable (192.168.100.1)',
  'fix.terminal_error': 'the terminal refused the status request: see the agent log for its message',
  'fix.terminal_bad_response':
    'something answers at the terminal address, but not a Starlink dish: check host and port',
  'fix.terminal_is_router':
    'a Starlink router answers at the terminal address, not the dish: set the dish address, 192.168.100.1',
  'fix.history_missing': "the dish sends no per-second history: report it with the dish's softwareVersion",
  'fix.history_wrapped': 'the dish no longer held every second since the last sample (the agent was stopped too long)',
  'fix.host_proc_unreadable':
    '/proc/meminfo or /proc/loadavg cannot be read: run the agent on Linux with /proc mounted',
  'fix.host_disk_unreadable':
    'the free space of dataDir cannot be read: check that the folder exists and the card is mounted',
  'fix.broker_unreachable': 'check the link, the broker address in mqtt.url and the port',
  'fix.broker_refused': 'the broker refused the login: check mqtt.username and mqtt.password with the NOC',
  'fix.broker_taken_over':
    'the broker allows one connection per site: stop the running agent (systemctl stop pantau-agent), check again',
  'fix.round_trip_timeout':
    'connected, but a test message did not come back: ask the NOC to check the ACL for this site',
  'fix.clock_unsynced': 'the clock is not synchronised: check NTP (timedatectl status) once the link is up',
  'fix.disk_low': 'free space on the SD card, or point dataDir at a larger disk',
  'fix.disk_unwritable': 'the agent cannot write to dataDir: check the folder and its owner',
  'fix.other': 'see docs/errors.md for code {code}',
  'detail.config': 'site {site}, broker {broker}, every {intervalSec} s',
  'detail.broker': 'round trip {roundTripMs} ms via {broker}',
  'detail.clock_synced': 'synchronised (NTP)',
  'detail.clock_unsynced': 'not synchronised',
  'detail.disk': '{freeMb} MB free in {dataDir}, the spool needs up to {needMb} MB',
  'detail.target': '{role} {host} {rttMs} ms, loss {lossPct} %',
  'detail.target_failed': '{role} {host} {code}',
  'detail.not_yet': 'counters readable ({values}); traffic shows from the second sample',
  'detail.values': '{values}',
  'detail.error': '{code}',
  'detail.error_values': '{code}: {values}',
  'detail.text': '{text}',
} as const;

export type CheckMessageKey = keyof typeof en;
