import type { SampleInput } from '@pantau/shared';

/**
 * Samples taken but not yet acknowledged by the broker, oldest first. Bounded: when full, the
 * oldest sample is dropped and counted. This first cut keeps them in memory; the disk spool
 * replaces it behind the same methods.
 */
export interface Outbox {
  add(sample: SampleInput): void;
  /** Up to `max` of the oldest samples, left in place until `ack`. */
  peek(max: number): readonly SampleInput[];
  /** Removes the `count` oldest samples once the broker has acknowledged them. */
  ack(count: number): void;
  readonly depth: number;
  readonly dropped: number;
}

export function createMemoryOutbox(maxSamples: number): Outbox {
  const samples: SampleInput[] = [];
  let dropped = 0;
  return {
    add(sample) {
      samples.push(sample);
      if (samples.length > maxSamples) {
        samples.shift();
        dropped += 1;
      }
    },
    peek: (max) => samples.slice(0, max),
    ack(count) {
      samples.splice(0, count);
    },
    get depth() {
      return samples.length;
    },
    get dropped() {
      return dropped;
    },
  };
}
