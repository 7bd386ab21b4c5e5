/** The languages the technician's self-test speaks. */
export const checkLanguages = ['en', 'id'] as const;
export type CheckLanguage = (typeof checkLanguages)[number];

type Text = Readonly<Record<CheckLanguage, string>>;

/** Names of the checks, as printed at the start of each line. */
export const checkTitles: Readonly<Record<string, Text>> = {
  config: { en: 'config', id: 'konfigurasi' },
  broker: { en: 'broker', id: 'broker' },
  clock: { en: 'clock', id: 'jam' },
  disk: { en: 'disk', id: 'disk' },
  latency: { en: 'latency', id: 'latensi' },
  uptime: { en: 'uptime', id: 'uptime' },
  usage: { en: 'usage', id: 'pemakaian' },
  clients: { en: 'clients', id: 'klien' },
  power: { en: 'power', id: 'daya' },
  throughput: { en: 'throughput', id: 'kecepatan' },
};

/** What to do about each failure, by its stable code. Codes without an entry point to docs/errors.md. */
const fixes: Readonly<Record<string, Text>> = {
  config_unreadable: {
    en: 'check the path given to --config or PANTAU_CONFIG',
    id: 'periksa path yang diberikan ke --config atau PANTAU_CONFIG',
  },
  config_invalid: {
    en: 'fix the fields named above in the file or environment variable',
    id: 'perbaiki field yang disebut di atas pada file atau variabel lingkungan',
  },
  ping_missing: {
    en: 'install ping: apt-get install iputils-ping',
    id: 'pasang ping: apt-get install iputils-ping',
  },
  host_unresolved: {
    en: 'check the host name and the site DNS, or configure an IP address',
    id: 'periksa nama host dan DNS lokasi, atau pakai alamat IP',
  },
  no_reply: {
    en: 'the target did not answer: check the cable, the terminal and its power',
    id: 'target tidak menjawab: periksa kabel, terminal dan dayanya',
  },
  no_targets: {
    en: 'add probes.latency.targets to the config (gateway, terminal, internet)',
    id: 'tambahkan probes.latency.targets ke konfigurasi (gateway, terminal, internet)',
  },
  probe_timeout: {
    en: 'the probe hung: check the device or target it reads',
    id: 'probe macet: periksa perangkat atau target yang dibacanya',
  },
  probe_crashed: {
    en: 'a bug in the agent: send the agent log to the NOC',
    id: 'bug pada agen: kirim log agen ke NOC',
  },
  uptime_unreadable: {
    en: '/proc/uptime cannot be read: run the agent on Linux with /proc mounted',
    id: '/proc/uptime tidak terbaca: jalankan agen di Linux dengan /proc terpasang',
  },
  terminal_unreachable: {
    en: 'nothing answers at the terminal address: check probes.terminal (or uptime.terminal) and the cable to the dish',
    id: 'tidak ada jawaban di alamat terminal: periksa probes.terminal (atau uptime.terminal) dan kabel ke dish',
  },
  terminal_timeout: {
    en: 'the terminal did not answer in time: check that the dish is powered and reachable (192.168.100.1)',
    id: 'terminal tidak menjawab tepat waktu: periksa dish menyala dan terjangkau (192.168.100.1)',
  },
  terminal_error: {
    en: 'the terminal refused the status request: see the agent log for its message',
    id: 'terminal menolak permintaan status: lihat log agen untuk pesannya',
  },
  terminal_bad_response: {
    en: 'something answers at the terminal address, but not a Starlink dish: check host and port',
    id: 'ada yang menjawab di alamat terminal, tetapi bukan dish Starlink: periksa host dan port',
  },
  terminal_is_router: {
    en: 'a Starlink router answers at the terminal address, not the dish: set the dish address, 192.168.100.1',
    id: 'router Starlink yang menjawab di alamat terminal, bukan dish: pakai alamat dish, 192.168.100.1',
  },
  history_missing: {
    en: "the dish sends no per-second history: report it with the dish's softwareVersion",
    id: 'dish tidak mengirim riwayat per detik: laporkan bersama softwareVersion dish',
  },
  history_wrapped: {
    en: 'the dish no longer held every second since the last sample (the agent was stopped too long)',
    id: 'dish tidak lagi menyimpan semua detik sejak sampel terakhir (agen berhenti terlalu lama)',
  },
  host_proc_unreadable: {
    en: '/proc/meminfo or /proc/loadavg cannot be read: run the agent on Linux with /proc mounted',
    id: '/proc/meminfo atau /proc/loadavg tidak terbaca: jalankan agen di Linux dengan /proc terpasang',
  },
  host_disk_unreadable: {
    en: 'the free space of dataDir cannot be read: check that the folder exists and the card is mounted',
    id: 'ruang kosong dataDir tidak terbaca: periksa folder ada dan kartu terpasang',
  },
  broker_unreachable: {
    en: 'check the link, the broker address in mqtt.url and the port',
    id: 'periksa koneksi, alamat broker di mqtt.url dan port-nya',
  },
  broker_refused: {
    en: 'the broker refused the login: check mqtt.username and mqtt.password with the NOC',
    id: 'broker menolak login: cocokkan mqtt.username dan mqtt.password dengan NOC',
  },
  broker_taken_over: {
    en: 'the broker allows one connection per site: stop the running agent (systemctl stop pantau-agent), check again',
    id: 'broker hanya menerima satu koneksi per lokasi: hentikan agen yang berjalan (systemctl stop pantau-agent), lalu periksa lagi',
  },
  broker_untrusted: {
    en: "the broker's certificate is not signed by the CA in mqtt.caFile, or is for another host: get the NOC's CA and broker name",
    id: 'sertifikat broker tidak ditandatangani CA di mqtt.caFile, atau untuk host lain: minta CA dan nama broker dari NOC',
  },
  broker_cert_time: {
    en: "the broker's certificate is not valid at this clock's time: check NTP (timedatectl status), then check again",
    id: 'sertifikat broker tidak berlaku menurut jam ini: periksa NTP (timedatectl status), lalu periksa lagi',
  },
  mqtt_ca_unreadable: {
    en: "copy the NOC's CA certificate to the file in mqtt.caFile, readable by the pantau user",
    id: 'salin sertifikat CA dari NOC ke file di mqtt.caFile, dapat dibaca pengguna pantau',
  },
  mqtt_ca_invalid: {
    en: "mqtt.caFile holds no PEM certificate: copy the NOC's CA certificate there",
    id: 'mqtt.caFile tidak berisi sertifikat PEM: salin sertifikat CA dari NOC ke sana',
  },
  round_trip_timeout: {
    en: 'connected, but a test message did not come back: ask the NOC to check the ACL for this site',
    id: 'terhubung, tetapi pesan uji tidak kembali: minta NOC memeriksa ACL lokasi ini',
  },
  clock_unsynced: {
    en: 'the clock is not synchronised: check NTP (timedatectl status) once the link is up',
    id: 'jam belum sinkron: periksa NTP (timedatectl status) setelah koneksi tersambung',
  },
  disk_low: {
    en: 'free space on the SD card, or point dataDir at a larger disk',
    id: 'kosongkan ruang di kartu SD, atau arahkan dataDir ke disk yang lebih besar',
  },
  disk_unwritable: {
    en: 'the agent cannot write to dataDir: check the folder and its owner',
    id: 'agen tidak bisa menulis ke dataDir: periksa folder dan pemiliknya',
  },
};

export function fixFor(code: string, lang: CheckLanguage): string {
  const fix = fixes[code];
  if (fix !== undefined) return fix[lang];
  return lang === 'id' ? `lihat docs/errors.md untuk kode ${code}` : `see docs/errors.md for code ${code}`;
}

export function titleFor(id: string, lang: CheckLanguage): string {
  return checkTitles[id]?.[lang] ?? id;
}

/** Words around the results. */
export const words: Readonly<Record<'pass' | 'fail' | 'fix' | 'summaryPass' | 'summaryFail', Text>> = {
  pass: { en: 'PASS', id: 'OK' },
  fail: { en: 'FAIL', id: 'GAGAL' },
  fix: { en: 'fix', id: 'perbaiki' },
  summaryPass: {
    en: 'All checks passed: this site is ready.',
    id: 'Semua pemeriksaan lulus: lokasi ini siap.',
  },
  summaryFail: {
    en: 'Some checks failed: fix them and run `pantau-agent check` again.',
    id: 'Ada pemeriksaan yang gagal: perbaiki lalu jalankan `pantau-agent check` lagi.',
  },
};
