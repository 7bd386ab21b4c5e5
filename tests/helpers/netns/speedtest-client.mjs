// Runs the agent's throughput transport (built dist) once against ENDPOINT; prints the legs as JSON.
// Usage: node speedtest-client.mjs ENDPOINT MAX_BYTES MAX_SECONDS
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../../agent/dist/clock.js';
import { createHttpTransport } from '../../../agent/dist/probes/throughput/http-transport.js';

const [endpoint, maxBytes = '10000000', maxSeconds = '10'] = process.argv.slice(2);
const transport = createHttpTransport(
  { endpoint, maxBytes: Number(maxBytes), maxSeconds: Number(maxSeconds), stallTimeoutMs: 5000 },
  { clock: systemClock, randomBytes },
);
const signal = new AbortController().signal;
const down = await transport.download(signal);
const up = await transport.upload(signal);
process.stdout.write(`${JSON.stringify({ down, up })}\n`);
