import { createHash } from 'node:crypto';
import { MS_PER_HOUR } from '@pantau/shared';

export interface ClientCounts {
  /** Distinct devices in this observation. */
  readonly interval: number;
  /** Distinct devices seen in the rolling window (an hour). */
  readonly hour: number;
  /** Identities forgotten early because the cap was reached, since the tracker was made. */
  readonly dropped: number;
}

export interface ClientTracker {
  /** Records the devices seen now; `ids` are MACs or client ids, hashed before they are kept. */
  observe(ids: Iterable<string>, nowMs: number): ClientCounts;
}

/**
 * Counts distinct devices without keeping who they are: each identity is kept only as a salted
 * SHA-256 (the salt is random per process and never leaves memory), so a memory dump cannot be
 * matched against a list of MACs. At most `maxTracked` are kept; past that the least recently seen
 * is dropped and counted, so a flood of random MACs cannot exhaust a Pi.
 */
export function createClientTracker(options: {
  readonly salt: Uint8Array;
  readonly maxTracked: number;
  readonly windowMs?: number;
}): ClientTracker {
  const windowMs = options.windowMs ?? MS_PER_HOUR;
  // Insertion order is recency order: a device seen again is deleted and re-inserted.
  const lastSeenMs = new Map<string, number>();
  let dropped = 0;

  function hash(id: string): string {
    return createHash('sha256').update(options.salt).update(id.trim().toLowerCase()).digest('base64url');
  }

  return {
    observe(ids, nowMs) {
      const now = new Set<string>();
      for (const id of ids) {
        if (now.size >= options.maxTracked) {
          dropped += 1;
          continue;
        }
        now.add(hash(id));
      }
      for (const key of now) {
        lastSeenMs.delete(key);
        lastSeenMs.set(key, nowMs);
      }
      for (const [key, seenMs] of lastSeenMs) {
        if (lastSeenMs.size > options.maxTracked) {
          lastSeenMs.delete(key);
          dropped += 1;
        } else if (seenMs <= nowMs - windowMs) {
          lastSeenMs.delete(key);
        } else {
          break;
        }
      }
      return { interval: now.size, hour: lastSeenMs.size, dropped };
    },
  };
}
