import { pbkdf2Sync } from 'node:crypto';

/**
 * Mosquitto 2.0's password hash: `$7$<iterations>$<salt, base64>$<PBKDF2-HMAC-SHA512, base64>`,
 * salt 12 bytes and hash 64, as `mosquitto_passwd` writes it (mosquitto's password_mosq.c).
 * 101 iterations is mosquitto_passwd's default: the broker pays them at every login of every site,
 * and a random password of 120 bits gains nothing from more.
 */
export const MOSQUITTO_PBKDF2_ITERATIONS = 101;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

export function mosquittoHash(password: string, salt: Buffer, iterations = MOSQUITTO_PBKDF2_ITERATIONS): string {
  if (salt.length !== SALT_BYTES) throw new Error(`a mosquitto salt is ${SALT_BYTES} bytes`);
  const hash = pbkdf2Sync(password, salt, iterations, HASH_BYTES, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `password` matches a `$7$` hash (the tests check what the file holds against the password). */
export function matchesMosquittoHash(password: string, hashed: string): boolean {
  const [, seven, iterations, salt, hash] = hashed.split('$');
  if (seven !== '7' || iterations === undefined || salt === undefined || hash === undefined) return false;
  return mosquittoHash(password, Buffer.from(salt, 'base64'), Number(iterations)) === hashed;
}

function userOf(line: string): string | null {
  const colon = line.indexOf(':');
  return colon <= 0 || line.startsWith('#') ? null : line.slice(0, colon);
}

/** The hash of one user in a password file's text, or null. */
export function passwordEntry(text: string, user: string): string | null {
  const line = text.split('\n').find((l) => userOf(l) === user);
  return line === undefined ? null : line.slice(user.length + 1);
}

/**
 * The file's text with `user`'s line set to `hashed`: replaced where it was, else appended. Every
 * other line is kept byte for byte, in its place.
 */
export function setPasswordEntry(text: string, user: string, hashed: string): string {
  const lines = bodyLines(text);
  const entry = `${user}:${hashed}`;
  const at = lines.findIndex((l) => userOf(l) === user);
  if (at < 0) lines.push(entry);
  else lines[at] = entry;
  return joinLines(lines);
}

/** The file's text without `user`'s line; every other line kept. */
export function removePasswordEntry(text: string, user: string): string {
  return joinLines(bodyLines(text).filter((l) => userOf(l) !== user));
}

function bodyLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
