/** No 0, o, 1 or l: a technician may have to read the password aloud or type it from paper. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const GROUPS = 6;
const GROUP_CHARS = 4;

/**
 * A site's MQTT password: 24 characters of a 32-letter alphabet (120 bits from `randomBytes`),
 * in groups of four joined by "-". 256 is a multiple of 32, so each byte maps without bias.
 */
export function newSitePassword(randomBytes: (n: number) => Buffer): string {
  const bytes = randomBytes(GROUPS * GROUP_CHARS);
  const chars = [...bytes].map((b) => ALPHABET[b & 31] ?? '');
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++) groups.push(chars.slice(i * GROUP_CHARS, (i + 1) * GROUP_CHARS).join(''));
  return groups.join('-');
}
