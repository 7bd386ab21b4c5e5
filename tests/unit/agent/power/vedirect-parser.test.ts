import { describe, expect, it } from 'vitest';
import { chargeStateName, veDirectValues } from '../../../../agent/src/probes/power/vedirect-mapping.js';
import { createVeDirectParser, type VeDirectEvent } from '../../../../agent/src/probes/power/vedirect-parser.js';
import { hexFrame, mpptFields, veDirectBlock } from '../../../helpers/vedirect.js';

function blocks(events: VeDirectEvent[]) {
  return events.flatMap((e) => (e.kind === 'block' ? [Object.fromEntries(e.fields)] : []));
}

/** A valid block whose checksum byte is `target`, found by varying a filler field. */
function blockWithChecksum(target: number): Buffer {
  for (let i = 0; i < 40; i++) {
    for (let j = 0; j < 40; j++) {
      const block = veDirectBlock([
        ['V', '12800'],
        ['SER#', 'A'.repeat(i) + 'B'.repeat(j)],
      ]);
      if (block.at(-1) === target) return block;
    }
  }
  throw new Error(`no block with checksum ${target}`);
}

describe('VE.Direct parser', () => {
  it('reads a valid block with all its fields', () => {
    const events = createVeDirectParser().push(veDirectBlock(mpptFields));
    expect(events).toHaveLength(1);
    expect(blocks(events)[0]).toMatchObject({ V: '12800', I: '1250', VPV: '18500', PPV: '16', CS: '3', ERR: '0' });
  });

  it('reads a block split across chunks, one byte at a time', () => {
    const parser = createVeDirectParser();
    const bytes = Buffer.concat([veDirectBlock(mpptFields), veDirectBlock([['V', '12000']])]);
    const events = Array.from(bytes).flatMap((byte) => parser.push(Uint8Array.of(byte)));
    expect(blocks(events).map((b) => b.V)).toEqual(['12800', '12000']);
  });

  it('discards a block whose bytes do not sum to 0 mod 256, and reads the next', () => {
    const parser = createVeDirectParser();
    const events = parser.push(
      Buffer.concat([veDirectBlock(mpptFields, { corrupt: true }), veDirectBlock([['V', '12100']])]),
    );
    expect(events.map((e) => e.kind)).toEqual(['bad_checksum', 'block']);
    expect(blocks(events)[0]).toEqual({ V: '12100' });
  });

  it('skips HEX frames between blocks and inside a block without breaking its checksum', () => {
    const block = veDirectBlock(mpptFields);
    const middle = block.indexOf('\r\nVPV');
    const bytes = Buffer.concat([hexFrame, block.subarray(0, middle), hexFrame, block.subarray(middle), hexFrame]);
    const events = createVeDirectParser().push(bytes);
    expect(events.map((e) => e.kind)).toEqual(['block']);
    expect(blocks(events)[0]?.VPV).toBe('18500');
  });

  it.each([
    ['":"', 0x3a],
    ['a newline', 0x0a],
  ])('accepts a checksum byte that is %s, which starts no HEX frame and ends no field', (_name, target) => {
    const block = blockWithChecksum(target);
    const events = createVeDirectParser().push(Buffer.concat([block, veDirectBlock([['V', '1']])]));
    expect(blocks(events).map((b) => b.V)).toEqual(['12800', '1']);
  });

  it('survives garbage: noise before a block, a late join mid-block, an endless line', () => {
    const parser = createVeDirectParser();
    const block = veDirectBlock(mpptFields);
    const noise = Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0d, 0x41, 0x09, 0x42]);
    const endless = Buffer.concat([Buffer.from('\r\nV\t'), Buffer.alloc(5000, 0x31)]);
    const events = parser.push(Buffer.concat([noise, block.subarray(40), endless, noise, block]));
    expect(blocks(events)).toHaveLength(1);
    expect(events.filter((e) => e.kind !== 'block').length).toBeGreaterThanOrEqual(1);
  });

  it('bounds an endless HEX frame and carries on', () => {
    const parser = createVeDirectParser();
    const events = parser.push(Buffer.concat([Buffer.from(':'), Buffer.alloc(2000, 0x41), veDirectBlock(mpptFields)]));
    expect(blocks(events)).toHaveLength(1);
  });
});

describe('VE.Direct mapping', () => {
  it('turns mV, mA and W into the section figures and names the charge state', () => {
    const fields = new Map(mpptFields);
    expect(veDirectValues(fields)).toEqual({
      batteryVolts: 12.8,
      batteryAmps: 1.25,
      panelVolts: 18.5,
      solarWatts: 16,
      chargeState: 'bulk',
      chargerError: 0,
    });
  });

  it('keeps discharging negative and leaves absent or "---" fields null', () => {
    expect(
      veDirectValues(
        new Map([
          ['V', '11950'],
          ['I', '-2300'],
          ['VPV', '---'],
        ]),
      ),
    ).toEqual({
      batteryVolts: 11.95,
      batteryAmps: -2.3,
      panelVolts: null,
      solarWatts: null,
      chargeState: null,
      chargerError: null,
    });
  });

  it.each([
    [0, 'off'],
    [2, 'fault'],
    [3, 'bulk'],
    [4, 'absorption'],
    [5, 'float'],
    [7, 'equalize'],
    [245, 'starting-up'],
    [247, 'auto-equalize'],
    [252, 'ext-control'],
    [99, 'unknown-99'],
  ])('names charge state %i "%s"', (cs, name) => {
    expect(chargeStateName(cs)).toBe(name);
  });
});
