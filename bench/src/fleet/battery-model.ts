/** A site's solar plant: a 12 V battery, a panel, the load (terminal, router, Pi), the controller's cut-off. */
export interface SolarPlant {
  readonly capacityWh: number;
  readonly panelWatts: number;
  /** The terminal, the router and the Pi together, while the load is connected. */
  readonly loadWatts: number;
  /** The controller disconnects the load below this (the registry's LVD). */
  readonly lowVoltageDisconnectVolts: number;
}

/** What the charge controller would report, and whether the load has power. */
export interface PowerReading {
  readonly batteryVolts: number;
  /** Positive while charging, negative while discharging. */
  readonly batteryAmps: number;
  readonly panelVolts: number;
  readonly solarWatts: number;
  readonly chargeState: 'off' | 'bulk' | 'absorption' | 'float';
  /** False once the controller has cut the load; true again once the sun has charged it back. */
  readonly loadOn: boolean;
  readonly stateOfCharge: number;
}

/** A lead-acid battery's resting volts from empty to full. */
const EMPTY_VOLTS = 11.0;
const FULL_VOLTS = 12.8;
/** The controller reconnects the load this far above the disconnect, and only while charging. */
const RECONNECT_MARGIN = 0.1;

function restingVolts(stateOfCharge: number): number {
  return EMPTY_VOLTS + (FULL_VOLTS - EMPTY_VOLTS) * stateOfCharge;
}

/**
 * The battery minute by minute: the panel charges it by day (less on a cloudy one), the load drains
 * it, and below the low-voltage disconnect the controller cuts the load until the sun has brought
 * the charge back above the cut-off plus a margin.
 */
export interface BatteryModel {
  /** One minute with the given sun (0-1 of a clear noon, weather included). */
  step(sun: number): PowerReading;
  readonly reading: PowerReading;
}

export function createBatteryModel(plant: SolarPlant, initialStateOfCharge: number): BatteryModel {
  let soc = initialStateOfCharge;
  // The state of charge at which the load's volts reach the disconnect (the load sags them).
  const cutSoc = Math.max(0.05, (plant.lowVoltageDisconnectVolts - EMPTY_VOLTS) / (FULL_VOLTS - EMPTY_VOLTS));
  let loadOn = soc > cutSoc;
  let reading = read(0, 0);

  function read(solarWatts: number, netWatts: number): PowerReading {
    const rest = restingVolts(soc);
    const amps = netWatts / rest;
    // Charging lifts the terminal volts towards the absorption voltage; a load sags them a little.
    const volts = netWatts > 0 ? Math.min(14.4, rest + 0.4 + amps * 0.04) : rest + amps * 0.01;
    const chargeState = solarWatts <= 0 ? 'off' : soc >= 0.98 ? 'float' : soc >= 0.9 ? 'absorption' : 'bulk';
    return {
      batteryVolts: round(volts, 2),
      batteryAmps: round(amps, 2),
      panelVolts: solarWatts > 0 ? round(17 + 3 * Math.min(1, solarWatts / plant.panelWatts), 2) : 0,
      solarWatts: round(solarWatts, 1),
      chargeState,
      loadOn,
      stateOfCharge: soc,
    };
  }

  return {
    step(sun) {
      const available = plant.panelWatts * 0.8 * sun;
      const demand = loadOn ? plant.loadWatts : 0;
      // A full battery takes only what the load uses: the controller curtails the panel.
      const solarWatts = soc >= 1 ? Math.min(available, demand) : available;
      const netWatts = solarWatts - demand;
      soc = Math.min(1, Math.max(0, soc + netWatts / 60 / plant.capacityWh));
      if (loadOn && soc <= cutSoc) loadOn = false;
      else if (!loadOn && netWatts > 0 && soc >= cutSoc + RECONNECT_MARGIN) loadOn = true;
      reading = read(solarWatts, netWatts);
      return reading;
    },
    get reading() {
      return reading;
    },
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
