import type { Logger } from '@pantau/shared';
import type { AlertOutbox } from '../health/ports.js';
import type { SinkName } from './notification.js';
import type { AlertSink } from './sinks/sink.js';

export interface DispatcherOptions {
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  readonly maxAgeMs: number;
  readonly batch: number;
}

export interface DispatcherDeps {
  readonly outbox: AlertOutbox;
  readonly sinks: readonly AlertSink[];
  readonly nowMs: () => number;
  /** In [0, 1): the jitter. */
  readonly random: () => number;
  readonly log: Logger;
}

export interface SinkCounters {
  delivered: number;
  failed: number;
  givenUp: number;
}

/**
 * The wait before attempt `attempts + 1`: doubling from `minMs` up to `maxMs`, half of it fixed and
 * half random, so that many failed deliveries do not all come back at once.
 */
export function backoffMs(attempts: number, minMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Delivers the outbox to each sink. Every sink is drained on its own, so a sink that fails or hangs
 * (each `send` has its own timeout) never holds back the others; a failure waits its backoff and is
 * retried until `maxAgeMs`, and an item is removed only once delivered.
 */
export function createDispatcher(options: DispatcherOptions, deps: DispatcherDeps) {
  const running = new Map<SinkName, Promise<void>>();
  const counters = new Map<SinkName, SinkCounters>(
    deps.sinks.map((s) => [s.name, { delivered: 0, failed: 0, givenUp: 0 }]),
  );

  let stopped = false;

  async function drain(sink: AlertSink): Promise<void> {
    const c = counters.get(sink.name) ?? { delivered: 0, failed: 0, givenUp: 0 };
    for (;;) {
      if (stopped) return;
      const items = await deps.outbox.due(sink.name, deps.nowMs(), options.batch);
      if (items.length === 0) return;
      let progressed = false;
      for (const item of items) {
        // Stopping waits for one send at most (its timeout), not for a whole batch to a dead sink.
        if (stopped) return;
        const n = item.notification;
        const result = await sink.send(n);
        const now = deps.nowMs();
        if (result.ok) {
          await deps.outbox.delivered(sink.name, n.id);
          c.delivered++;
          progressed = true;
          continue;
        }
        c.failed++;
        if (!result.retryable || now - n.createdMs >= options.maxAgeMs) {
          await deps.outbox.giveUp(sink.name, n.id, result.error);
          c.givenUp++;
          progressed = true;
          deps.log.error(
            { event: 'alert_delivery_given_up', sink: sink.name, notification: n.id, error: result.error },
            'gave up a notification; check the sink (URL, secret, receiver logs)',
          );
          continue;
        }
        const next = now + backoffMs(item.attempts, options.retryMinMs, options.retryMaxMs, deps.random);
        await deps.outbox.retryLater(sink.name, n.id, next, result.error);
        deps.log.warn(
          {
            event: 'alert_delivery_failed',
            sink: sink.name,
            notification: n.id,
            attempts: item.attempts + 1,
            error: result.error,
          },
          'alert delivery failed; it is retried with backoff',
        );
      }
      if (!progressed) return;
    }
  }

  return {
    /**
     * Starts a drain of every sink not already draining, and resolves when those are done: a sink
     * still busy with an earlier round (slow, or waiting out its timeout) is left to it.
     */
    async pump(): Promise<void> {
      await Promise.all(
        deps.sinks.map((sink) => {
          if (running.has(sink.name)) return undefined;
          const run = drain(sink)
            .catch((error: unknown) =>
              deps.log.error({ event: 'alert_dispatch_failed', sink: sink.name, err: error }, 'alert dispatch failed'),
            )
            .finally(() => running.delete(sink.name));
          running.set(sink.name, run);
          return run;
        }),
      );
    },
    counters: (): ReadonlyMap<SinkName, Readonly<SinkCounters>> => counters,
    /** No new send starts after this; what waits stays in the outbox for the next start. */
    stop(): void {
      stopped = true;
    },
  };
}
export type Dispatcher = ReturnType<typeof createDispatcher>;
