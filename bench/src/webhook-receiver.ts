import { createServer, type IncomingMessage } from 'node:http';

export interface ReceivedRequest {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** What the receiver answered. */
  readonly status: number;
  /** When it arrived (this machine's clock). */
  readonly receivedAtMs: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Answer the next `count` requests with 500 (a receiver that is down). */
  failNext(count: number): void;
  /** Answer every request with 503 until `up()`. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (tests, bench:alerts) that records every POST and answers 204, or fails when told. */
export async function startWebhookReceiver(path = '/hook'): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let failures = 0;
  let isDown = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let status = 204;
      if (req.url !== path || req.method !== 'POST') status = 404;
      else if (isDown) status = 503;
      else if (failures > 0) {
        failures--;
        status = 500;
      }
      requests.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        receivedAtMs: Date.now(),
      });
      res.writeHead(status);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}${path}`,
    requests,
    failNext(count) {
      failures = count;
    },
    down() {
      isDown = true;
    },
    up() {
      isDown = false;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
