import type { Notification, SinkName } from '../notification.js';

/** A failed delivery is retried unless the receiver refused it for good. */
export type SendResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryable: boolean; readonly error: string };

/** One delivery channel; `send` resolves (never rejects) within its own timeout. */
export interface AlertSink {
  readonly name: SinkName;
  send(notification: Notification): Promise<SendResult>;
}

/** A small HTTP client (the real one uses fetch); tests may count or fail requests. */
export interface HttpPoster {
  post(
    url: string,
    body: string,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<{ readonly status: number; readonly body: string }>;
}

export const fetchPoster: HttpPoster = {
  async post(url, body, headers, timeoutMs) {
    const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { status: response.status, body: text.slice(0, 500) };
  },
};

/** 2xx is delivered; 408, 425, 429 and 5xx are worth another try; other answers never will be. */
export function httpResult(status: number, body: string): SendResult {
  if (status >= 200 && status < 300) return { ok: true };
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  return { ok: false, retryable, error: `http_${status}: ${body.slice(0, 200)}` };
}

export async function postSafely(
  poster: HttpPoster,
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<SendResult> {
  try {
    const response = await poster.post(url, body, headers, timeoutMs);
    return httpResult(response.status, response.body);
  } catch (error) {
    return { ok: false, retryable: true, error: `unreachable: ${(error as Error).message}` };
  }
}
