/**
 * The floor under `pnpm bench:agent`'s memory figure: a process started with the agent's own launch
 * flags that loads only the chosen libraries an agent cannot do without (mqtt.js, pino, ping, zod)
 * and does the least any agent does each cycle: one ICMP echo through `ping`, one sample checked
 * with a zod schema, published QoS 1 and logged with pino. No Pantau code. Whatever RSS this needs
 * on this machine's Node, no agent built from these parts can need less.
 * Configured by the PANTAU_FLOOR environment variable (JSON); prints one JSON line.
 */
import { join } from 'node:path';
import mqtt from 'mqtt';
import ping from 'ping';
import pino from 'pino';
import { z } from 'zod';
import { procStats } from './proc-stats.js';

interface FloorOptions {
  readonly brokerUrl: string;
  readonly dir: string;
  readonly cycles: number;
  readonly warmupCycles: number;
  readonly intervalMs: number;
}

export interface FloorResult {
  readonly cycles: number;
  readonly rssAfterWarmupBytes: number;
  readonly rssEndBytes: number;
  readonly rssMaxBytes: number;
  readonly cpuMsPerCycle: number;
  readonly childCpuMsPerCycle: number;
  readonly threads: number;
}

const options = JSON.parse(process.env.PANTAU_FLOOR ?? '{}') as FloorOptions;
const log = pino({ level: 'info' }, pino.destination(join(options.dir, 'floor.log')));
const sampleSchema = z.object({
  seq: z.number().int().nonnegative(),
  wallMs: z.number().int(),
  rttMs: z.number().nonnegative().nullable(),
});
const client = mqtt.connect(options.brokerUrl, { clientId: 'bench-floor', clean: false });
await new Promise<void>((resolve, reject) => {
  client.once('connect', () => resolve());
  client.once('error', reject);
});

let start = procStats(process.pid);
let rssMaxBytes = 0;
const total = options.warmupCycles + options.cycles;
for (let cycle = 0; cycle < total; cycle++) {
  const began = Date.now();
  const echo = await ping.promise.probe('127.0.0.1', { timeout: 1, min_reply: 1 });
  const rttMs = typeof echo.time === 'number' ? echo.time : null;
  const sample = sampleSchema.parse({ seq: cycle, wallMs: began, rttMs });
  await client.publishAsync('bench/floor', JSON.stringify(sample), { qos: 1 });
  log.info({ seq: sample.seq, rttMs }, 'sample');
  if (cycle === options.warmupCycles - 1) start = procStats(process.pid);
  if (cycle >= options.warmupCycles) rssMaxBytes = Math.max(rssMaxBytes, procStats(process.pid).rssBytes);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.intervalMs - (Date.now() - began))));
}
const end = procStats(process.pid);
await client.endAsync();
const result: FloorResult = {
  cycles: options.cycles,
  rssAfterWarmupBytes: start.rssBytes,
  rssEndBytes: end.rssBytes,
  rssMaxBytes,
  cpuMsPerCycle: (end.cpuMs - start.cpuMs) / options.cycles,
  childCpuMsPerCycle: (end.childCpuMs - start.childCpuMs) / options.cycles,
  threads: end.threads,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
