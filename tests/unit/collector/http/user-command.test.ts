import { accessConfigSchema, hashToken, parseCollectorArgs, runUserAdd, verifyPassword } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('pantau-collector user add', () => {
  it('parses NAME, --role and --token, and refuses what it cannot use', () => {
    expect(parseCollectorArgs(['user', 'add', 'dewi', '--role', 'admin'], {})).toEqual({
      kind: 'user_add',
      args: { name: 'dewi', role: 'admin', token: false },
    });
    expect(parseCollectorArgs(['user', 'add', 'bot', '--token'], {})).toMatchObject({
      args: { name: 'bot', role: 'viewer', token: true },
    });
    expect(parseCollectorArgs(['user', 'add', 'x', '--role', 'root'], {})).toMatchObject({ kind: 'usage_error' });
    expect(parseCollectorArgs(['user', 'add', 'a b'], {})).toMatchObject({ kind: 'usage_error' });
    expect(parseCollectorArgs(['user', 'remove', 'dewi'], {})).toMatchObject({ kind: 'usage_error' });
  });

  it('prints config lines the access schema takes, with a hash that checks the password', async () => {
    const result = await runUserAdd(
      { name: 'dewi', role: 'admin', token: false },
      { readPassword: async () => 'a long passphrase', newToken: () => 'unused' },
    );
    expect(result.code).toBe(0);
    const users = parse(result.out);
    const access = accessConfigSchema.parse({ users });
    const [user] = access.users;
    expect(user).toMatchObject({ name: 'dewi', role: 'admin' });
    expect(await verifyPassword('a long passphrase', user?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword('a long passphrasE', user?.passwordHash ?? '')).toBe(false);
    expect(result.out).not.toContain('a long passphrase');
  });

  it('prints a token once with its hash', async () => {
    const result = await runUserAdd(
      { name: 'prometheus', role: 'viewer', token: true },
      { readPassword: async () => null, newToken: () => 'pt_fixed' },
    );
    const tokens = parse(result.out);
    expect(accessConfigSchema.parse({ tokens }).tokens).toEqual([
      { name: 'prometheus', role: 'viewer', tokenHash: hashToken('pt_fixed') },
    ]);
    expect(result.out).toContain('pt_fixed');
  });

  it('refuses a short or missing password, printing nothing to paste', async () => {
    for (const password of [null, 'short']) {
      const result = await runUserAdd(
        { name: 'dewi', role: 'admin', token: false },
        { readPassword: async () => password, newToken: () => '' },
      );
      expect([result.code, result.out]).toEqual([2, '']);
      expect(result.err).toMatch(/8 characters/);
    }
  });
});
