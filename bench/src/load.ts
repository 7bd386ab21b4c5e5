import type { PayloadEncoding } from '@pantau/shared';
import mqtt from 'mqtt';
import { type EncodedMessage, encodeMessage } from './payloads.js';

/**
 * A load-generator process: pre-encodes its share of the messages, says `ready`, and on `go`
 * publishes them QoS 1 over several connections with a window of messages in flight each.
 */
interface Job {
  readonly url: string;
  readonly root: string;
  readonly from: number;
  readonly to: number;
  readonly sites: number;
  readonly perBatch: number;
  readonly nowMs: number;
  readonly connections: number;
  readonly window: number;
  readonly encoding: PayloadEncoding;
  readonly tag: string;
}

const send = (message: unknown) => process.send?.(message);

process.once('message', async (job: Job) => {
  const messages: EncodedMessage[] = [];
  for (let i = job.from; i < job.to; i++)
    messages.push(encodeMessage(job.root, i, job.sites, job.perBatch, job.nowMs, job.encoding));
  const clients = await Promise.all(
    Array.from({ length: job.connections }, (_, c) =>
      mqtt.connectAsync(job.url, { clientId: `${job.tag}-${job.from}-${c}`, clean: true, reconnectPeriod: 0 }),
    ),
  );
  send({ kind: 'ready' });
  process.once('message', async () => {
    const startMs = Date.now();
    const cpuBefore = process.cpuUsage();
    let next = 0;
    await Promise.all(
      clients.map(async (client) => {
        const inflight = new Set<Promise<unknown>>();
        while (next < messages.length) {
          const m = messages[next++];
          if (m === undefined) break;
          const p = client.publishAsync(m.topic, m.payload, { qos: 1 }).finally(() => inflight.delete(p));
          inflight.add(p);
          if (inflight.size >= job.window) await Promise.race(inflight);
        }
        await Promise.all(inflight);
      }),
    );
    const endMs = Date.now();
    await Promise.all(clients.map((c) => c.endAsync()));
    // CPU while publishing: the generators share the two cores with the broker and the collector.
    const cpu = process.cpuUsage(cpuBefore);
    send({ kind: 'done', startMs, endMs, sent: messages.length, cpuMs: (cpu.user + cpu.system) / 1000 });
  });
});
