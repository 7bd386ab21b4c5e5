import type { StateEvent } from './contract.js';

export type LiveMode = 'connecting' | 'sse' | 'polling';
/** `null`: a poll tick (no detail known), so listeners refetch what they show. */
export type LiveListener = (event: StateEvent | null) => void;

export interface Live {
  subscribe(listener: LiveListener): () => void;
  mode(): LiveMode;
  stop(): void;
}

const POLL_INTERVAL_MS = 10_000;
/** Even with nothing pushed, a wall screen's "since" and "last heard" must not go stale. */
const REFRESH_INTERVAL_MS = 60_000;

/**
 * State changes pushed by the collector (`/api/events`). While the stream is down (a proxy that
 * buffers it, a restart) the browser's own reconnecting goes on, and listeners are ticked every
 * 10 s so the screen still refreshes; while it is up, they are ticked once a minute.
 */
export function createLive(onMode: (mode: LiveMode) => void): Live {
  const listeners = new Set<LiveListener>();
  let mode: LiveMode = 'connecting';
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  const notify = (event: StateEvent | null) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('pantau: a live listener failed', error);
      }
    }
  };
  const setMode = (next: LiveMode) => {
    if (next === mode) return;
    mode = next;
    onMode(next);
  };
  const startPolling = () => {
    if (pollTimer === null) pollTimer = setInterval(() => notify(null), POLL_INTERVAL_MS);
    setMode('polling');
  };
  const stopPolling = () => {
    if (pollTimer !== null) clearInterval(pollTimer);
    pollTimer = null;
  };

  const refreshTimer = setInterval(() => {
    if (mode === 'sse') notify(null);
  }, REFRESH_INTERVAL_MS);

  let source: EventSource | null = null;
  if (typeof EventSource === 'function') {
    source = new EventSource('/api/events');
    source.addEventListener('open', () => {
      stopPolling();
      setMode('sse');
      // Whatever changed while the stream was down is fetched once.
      notify(null);
    });
    source.addEventListener('error', startPolling);
    source.addEventListener('state', (message) => {
      const event = parseEvent((message as MessageEvent<string>).data);
      if (event !== null) notify(event);
    });
  } else {
    startPolling();
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mode: () => mode,
    stop() {
      stopPolling();
      clearInterval(refreshTimer);
      source?.close();
      listeners.clear();
    },
  };
}

function parseEvent(data: string): StateEvent | null {
  try {
    const value = JSON.parse(data) as Partial<StateEvent>;
    return typeof value.siteId === 'string' && typeof value.state === 'string' ? (value as StateEvent) : null;
  } catch {
    return null;
  }
}

/** Calls `run` at most once per `delayMs` however many times it is asked. */
export function coalesce(run: () => void, delayMs: number): { request(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    request() {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        run();
      }, delayMs);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
