import { type PowerValues, round3 } from './power-values.js';

/** VE.Direct `CS` (charge state) numbers, per Victron's "VE.Direct Protocol" document, lower case. */
const chargeStates: Readonly<Record<number, string>> = {
  0: 'off',
  1: 'low power',
  2: 'fault',
  3: 'bulk',
  4: 'absorption',
  5: 'float',
  6: 'storage',
  7: 'equalize',
  9: 'inverting',
  11: 'power supply',
  245: 'starting-up',
  246: 'repeated absorption',
  247: 'auto-equalize',
  248: 'batterysafe',
  252: 'ext-control',
};

export function chargeStateName(cs: number): string {
  return chargeStates[cs] ?? `unknown-${cs}`;
}

/**
 * A block's fields as power figures: `V` battery mV, `I` battery mA (+ charging), `VPV` panel mV,
 * `PPV` panel W, `CS` charge state, `ERR` charger error. A field a device does not send, or sends as
 * `---`, is null.
 */
export function veDirectValues(fields: ReadonlyMap<string, string>): Partial<PowerValues> {
  const cs = integer(fields.get('CS'));
  return {
    batteryVolts: scaled(fields.get('V'), 1000),
    batteryAmps: scaled(fields.get('I'), 1000),
    panelVolts: scaled(fields.get('VPV'), 1000),
    solarWatts: integer(fields.get('PPV')),
    chargeState: cs === null ? null : chargeStateName(cs),
    chargerError: integer(fields.get('ERR')),
  };
}

function integer(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d{1,10}$/.test(text)) return null;
  return Number.parseInt(text, 10);
}

function scaled(text: string | undefined, divisor: number): number | null {
  const n = integer(text);
  return n === null ? null : round3(n / divisor);
}
