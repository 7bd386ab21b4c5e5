import { z } from 'zod';
import { nullable, sectionError } from './section.js';

/** The driver that read the power figures (chosen in the agent's config). */
export const powerSourceSchema = z.enum(['hwmon', 'iio', 'vedirect', 'epever', 'command', 'none']);

/**
 * The site's power: battery, solar panel, charger state, and the Pi's own supply flags. Each figure
 * is null when the source does not have it.
 */
export const powerSectionSchema = z.object({
  source: nullable(powerSourceSchema),
  batteryVolts: nullable(z.number()),
  /** Positive while charging, negative while discharging. */
  batteryAmps: nullable(z.number()),
  batteryTempCelsius: nullable(z.number()),
  panelVolts: nullable(z.number()),
  solarWatts: nullable(z.number()),
  /** Charger state as the source names it, lower case (e.g. `bulk`, `absorption`, `float`, `off`). */
  chargeState: nullable(z.string().max(32)),
  /** Today's battery extremes, where the charge controller keeps them (EPever 0x3302/0x3303). */
  batteryMaxVoltsToday: nullable(z.number()),
  batteryMinVoltsToday: nullable(z.number()),
  /** The controller's low-voltage disconnect setting (EPever holding 0x900D). */
  lowVoltageDisconnectVolts: nullable(z.number()),
  /** Charger's own error code, where it reports one (VE.Direct `ERR`). */
  chargerError: nullable(z.int()),
  /** Raspberry Pi `get_throttled`: bit 0 under-voltage now, bit 16 under-voltage since boot. */
  underVoltageNow: nullable(z.boolean()),
  underVoltageSinceBoot: nullable(z.boolean()),
  throttledFlags: nullable(z.int().min(0)),
  error: sectionError,
});
export type PowerSection = z.infer<typeof powerSectionSchema>;
