// Runs the collector's speed test (built dist) on HOST:PORT; prints its URL, stops on SIGTERM.
// Usage: node speedtest-server.mjs HOST PORT
import { randomBytes } from 'node:crypto';
import { buildSpeedtestApp, listenHttp } from '../../../collector/dist/index.js';
import { createLogger } from '../../../shared/dist/index.js';

const [host = '127.0.0.1', port = '0'] = process.argv.slice(2);
const app = buildSpeedtestApp({
  speedtest: { maxDownBytes: 200_000_000, maxUpBytes: 200_000_000, maxConcurrent: 4 },
  randomBytes,
  monotonicMs: () => performance.now(),
  log: createLogger('speedtest-server', 'warn'),
});
const server = await listenHttp(app, host, Number(port));
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
