import { Writable } from 'node:stream';
import { createLogger } from '@pantau/shared';
import { describe, expect, it } from 'vitest';

describe('the logger', () => {
  it('never writes passwords, hashes, tokens, cookies or authorization headers', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('test', 'info', sink as unknown as Parameters<typeof createLogger>[2]);
    log.info({
      event: 'login',
      password: 'hunter2-secret',
      user: { name: 'dewi', passwordHash: 'scrypt$1$2$3$salt$key-secret' },
      token: { tokenHash: 'sha256$abc-secret' },
      req: { method: 'POST', headers: { authorization: 'Bearer pt_secret', cookie: 'pantau_session=secret' } },
      session: { csrfToken: 'csrf-secret' },
      mqtt: { password: 'broker-secret' },
    });
    const text = lines.join('');
    expect(text).toContain('"event":"login"');
    expect(text).toContain('"name":"dewi"');
    expect(text).toContain('[redacted]');
    expect(text).not.toMatch(/secret/);
  });
});
