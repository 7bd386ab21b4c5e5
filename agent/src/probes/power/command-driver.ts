import { powerSectionSchema } from '@pantau/shared';
import type { CommandRunner } from '../../host/command-runner.js';
import { type PowerDriver, readFailed } from './power-values.js';

export interface CommandDriverOptions {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
}

/**
 * What a site's own script may print: one JSON object with any of the section's figures, named and
 * in the units of the wire contract. A figure left out reads as null (the section's default); other
 * keys are ignored, so a script may print more.
 */
const commandOutputSchema = powerSectionSchema.pick({
  batteryVolts: true,
  batteryAmps: true,
  batteryTempCelsius: true,
  panelVolts: true,
  solarWatts: true,
  chargeState: true,
  batteryMaxVoltsToday: true,
  batteryMinVoltsToday: true,
  lowVoltageDisconnectVolts: true,
  chargerError: true,
});

/** Runs a command each cycle and reads the JSON object it prints. */
export function createCommandDriver(runner: CommandRunner, options: CommandDriverOptions): PowerDriver {
  return {
    async read(signal) {
      const output = await runner.run(options, signal);
      if (!output.ok) return readFailed(output.code, output.message);
      let json: unknown;
      try {
        json = JSON.parse(output.value);
      } catch {
        return readFailed('command_bad_output', `${options.file} did not print JSON`);
      }
      const parsed = commandOutputSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue === undefined ? '' : `${issue.path.join('.') || 'output'}: ${issue.message}`;
        return readFailed('command_bad_output', `${options.file} printed an unexpected value (${where})`);
      }
      return { values: parsed.data, error: null };
    },
    stop: async () => {},
  };
}
