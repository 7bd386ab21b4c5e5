import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { PayloadEncoding } from '@pantau/shared';
import { procStats } from './proc-stats.js';

/** What the load generators publish, and how (load.ts is one generator process). */
export interface LoadShape {
  readonly generators: number;
  /** MQTT connections per generator, and messages in flight on each. */
  readonly connections: number;
  readonly window: number;
  readonly sites: number;
  readonly perBatch: number;
  readonly nowMs: number;
  readonly encoding: PayloadEncoding;
}

export interface LoadResult {
  readonly goMs: number;
  readonly lastPublishMs: number;
  /** CPU the generator processes spent publishing, all of them together. */
  readonly generatorCpuMs: number;
}

/** CPU of this process (the collector runs in it) and of the broker, from a start point. */
export function cpuMeter(brokerPid: number): () => { collectorCpuMs: number; brokerCpuMs: number } {
  const self = process.cpuUsage();
  const broker = procStats(brokerPid).cpuMs;
  return () => {
    const used = process.cpuUsage(self);
    return { collectorCpuMs: (used.user + used.system) / 1000, brokerCpuMs: procStats(brokerPid).cpuMs - broker };
  };
}

/** Forks the generators, waits until each has encoded its share, returns a function that starts them. */
export async function prepareLoad(
  shape: LoadShape,
  url: string,
  root: string,
  messages: number,
  tag: string,
  /** The number of the first message: loads run side by side (one per broker node) take distinct ones. */
  firstMessage = 0,
): Promise<() => Promise<LoadResult>> {
  const per = Math.ceil(messages / shape.generators);
  const children = Array.from({ length: shape.generators }, () => fork(new URL('./load.js', import.meta.url)));
  await Promise.all(
    children.map(async (child, g) => {
      const ready = once(child, 'message');
      child.send({
        url,
        root,
        from: firstMessage + g * per,
        to: firstMessage + Math.min(messages, (g + 1) * per),
        sites: shape.sites,
        perBatch: shape.perBatch,
        nowMs: shape.nowMs,
        connections: shape.connections,
        window: shape.window,
        encoding: shape.encoding,
        tag: `${tag}-g${g}`,
      });
      await ready;
    }),
  );
  return async () => {
    const goMs = Date.now();
    const done = children.map((child) => once(child, 'message') as Promise<[{ endMs: number; cpuMs: number }]>);
    for (const child of children) child.send('go');
    const results = await Promise.all(done);
    await Promise.all(
      children.map(async (c) => {
        if (c.exitCode !== null) return;
        const exited = once(c, 'exit');
        c.kill();
        await exited;
      }),
    );
    return {
      goMs,
      lastPublishMs: Math.max(...results.map(([r]) => r.endMs)),
      generatorCpuMs: Math.round(results.reduce((sum, [r]) => sum + r.cpuMs, 0)),
    };
  };
}
