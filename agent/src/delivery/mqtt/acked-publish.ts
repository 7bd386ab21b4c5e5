import { fail, ok, type Result } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import type { MqttLink } from './mqtt-link.js';

export type PublishErrorCode = 'not_connected' | 'ack_timeout' | 'publish_failed';

/** A connection the broker accepted; `lost` aborts when it closes. */
export interface UpLink {
  readonly link: MqttLink;
  readonly epoch: number;
  readonly lost: AbortSignal;
}

/**
 * Publishes at QoS 1 and waits for the PUBACK, bounded: past `ackTimeoutMs` the link is taken for
 * dead (a socket that has not noticed) and dropped, so the connection is replaced. With a
 * persistent session mqtt.js keeps an unacknowledged publish for a reconnection of the same client,
 * which never comes (each attempt is a new client): the wait ends as soon as the link is lost.
 * Resolves with the payload's size once acknowledged.
 */
export async function publishAcked(
  up: UpLink,
  clock: Clock,
  message: { readonly topic: string; readonly payload: Buffer; readonly retain: boolean },
  ackTimeoutMs: number,
): Promise<Result<number, PublishErrorCode>> {
  if (up.lost.aborted) return fail('not_connected', 'not connected to the broker');
  let cancelTimer = () => {};
  let onLost = () => {};
  const waited = new Promise<Result<number, PublishErrorCode>>((resolve) => {
    cancelTimer = clock.setTimer(ackTimeoutMs, () =>
      resolve(fail('ack_timeout', `no PUBACK within ${ackTimeoutMs} ms`)),
    );
    onLost = () => resolve(fail('not_connected', 'the connection closed before the PUBACK'));
    up.lost.addEventListener('abort', onLost, { once: true });
  });
  const sent = up.link.publish(message.topic, message.payload, message.retain).then(
    () => ok(message.payload.byteLength),
    (error: unknown) => fail('publish_failed' as const, (error as Error).message),
  );
  try {
    const result = await Promise.race([sent, waited]);
    if (!result.ok && result.code === 'ack_timeout') up.link.destroy();
    return result;
  } finally {
    cancelTimer();
    up.lost.removeEventListener('abort', onLost);
  }
}
