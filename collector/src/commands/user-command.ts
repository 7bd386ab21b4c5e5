import { parseArgs } from 'node:util';
import { type Role, roles } from '../http/access/access-config.js';
import { hashPassword, hashToken } from '../http/access/passwords.js';

export interface UserAddArgs {
  readonly name: string;
  readonly role: Role;
  /** A bearer token for a machine, rather than a password for a person. */
  readonly token: boolean;
}

/** `user add NAME [--role viewer|admin] [--token]`; a string is a usage error. */
export function parseUserArgs(argv: readonly string[]): UserAddArgs | string {
  let parsed: ReturnType<
    typeof parseArgs<{ options: { role: { type: 'string' }; token: { type: 'boolean' } }; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { role: { type: 'string' }, token: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const [action, name, ...extra] = parsed.positionals;
  if (action !== 'add' || name === undefined || extra.length > 0)
    return 'user add NAME [--role viewer|admin] [--token]';
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) return `user add ${name}: letters, digits and . _ @ - (at most 64)`;
  const role = parsed.values.role ?? 'viewer';
  if (!(roles as readonly string[]).includes(role)) return `--role ${role}: one of ${roles.join(', ')}`;
  return { name, role: role as Role, token: parsed.values.token === true };
}

export interface UserIo {
  /** The new password (standard input's first line, or PANTAU_NEW_PASSWORD); null: none given. */
  readonly readPassword: () => Promise<string | null>;
  readonly newToken: () => string;
}

/**
 * Prints the config lines for a new user (a password hash) or token (its hash, and the token once:
 * it is not kept anywhere). Nothing is written: the operator pastes the lines into `http.access`.
 */
export async function runUserAdd(args: UserAddArgs, io: UserIo): Promise<{ code: number; out: string; err: string }> {
  if (args.token) {
    const token = io.newToken();
    const out = [
      `# Give this token to the machine (it is shown only now): ${token}`,
      '# Add under http.access.tokens in the collector config:',
      `- name: ${args.name}`,
      `  role: ${args.role}`,
      `  tokenHash: "${hashToken(token)}"`,
      '',
    ].join('\n');
    return { code: 0, out, err: '' };
  }
  const password = await io.readPassword();
  if (password === null || password.length < 8) {
    return {
      code: 2,
      out: '',
      err: 'pantau-collector: give a password of 8 characters or more on standard input (or PANTAU_NEW_PASSWORD)\n',
    };
  }
  const out = [
    '# Add under http.access.users in the collector config:',
    `- name: ${args.name}`,
    `  role: ${args.role}`,
    `  passwordHash: "${await hashPassword(password)}"`,
    '',
  ].join('\n');
  return { code: 0, out, err: '' };
}
