/**
 * Builds VE.Direct text-protocol blocks as a charger sends them: `\r\n<label>\t<value>` fields, then
 * `\r\nChecksum\t<byte>` with the byte that makes the whole block sum to 0 mod 256.
 */
export function veDirectBlock(fields: ReadonlyArray<readonly [string, string]>, options: { corrupt?: boolean } = {}) {
  const body = Buffer.from(
    `${fields.map(([label, value]) => `\r\n${label}\t${value}`).join('')}\r\nChecksum\t`,
    'latin1',
  );
  let sum = 0;
  for (const byte of body) sum = (sum + byte) & 0xff;
  const checksum = (256 - sum) & 0xff;
  return Buffer.concat([body, Uint8Array.of(options.corrupt ? (checksum + 1) & 0xff : checksum)]);
}

/** A block from a SmartSolar MPPT 100/20: 12.80 V, +1.25 A charging, 18.5 V panel, 16 W, bulk. */
export const mpptFields: ReadonlyArray<readonly [string, string]> = [
  ['PID', '0xA053'],
  ['FW', '159'],
  ['SER#', 'HQ2132QWERT'],
  ['V', '12800'],
  ['I', '1250'],
  ['VPV', '18500'],
  ['PPV', '16'],
  ['CS', '3'],
  ['MPPT', '2'],
  ['OR', '0x00000000'],
  ['ERR', '0'],
  ['LOAD', 'ON'],
  ['IL', '300'],
  ['H19', '10349'],
  ['H20', '12'],
  ['H21', '85'],
  ['H22', '17'],
  ['H23', '92'],
  ['HSDS', '178'],
];

/** A HEX-protocol frame (a "ping" answer) as a charger may interleave it. */
export const hexFrame = Buffer.from(':51641F9\n', 'latin1');
