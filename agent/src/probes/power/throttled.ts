import type { PowerSection } from '@pantau/shared';
import type { CommandRunner } from '../../host/command-runner.js';
import type { SysfsReader } from './sysfs-reader.js';

export type ThrottledValues = Pick<PowerSection, 'underVoltageNow' | 'underVoltageSinceBoot' | 'throttledFlags'>;

export const noThrottledValues: ThrottledValues = {
  underVoltageNow: null,
  underVoltageSinceBoot: null,
  throttledFlags: null,
};

/**
 * The Pi firmware's throttle word, as `vcgencmd get_throttled` prints it (`throttled=0x50005`) or as
 * the firmware's sysfs attribute holds it (`50005`, hex without a prefix). Null when it is neither.
 */
export function parseThrottled(text: string): number | null {
  const match = /^(?:throttled=)?(?:0x)?([0-9a-f]{1,8})$/i.exec(text.trim());
  if (match?.[1] === undefined) return null;
  return Number.parseInt(match[1], 16);
}

/** Bit 0: under-voltage now; bit 16: under-voltage has occurred since boot. */
export function throttledValues(flags: number): ThrottledValues {
  return {
    underVoltageNow: (flags & 0x1) !== 0,
    underVoltageSinceBoot: (flags & 0x10000) !== 0,
    throttledFlags: flags,
  };
}

export interface ThrottledOptions {
  /** `auto` tries the sysfs file, then `vcgencmd`; a host with neither (not a Pi) gives nulls. */
  readonly source: 'auto' | 'file' | 'vcgencmd' | 'none';
  readonly file: string;
  readonly command: string;
}

/** Reads the Pi's supply flags; never fails the power section, it only leaves them null. */
export function createThrottledReader(sysfs: SysfsReader, runner: CommandRunner, options: ThrottledOptions) {
  async function fromFile(): Promise<number | null> {
    return sysfs.readText(options.file).then(parseThrottled, () => null);
  }
  async function fromCommand(signal: AbortSignal): Promise<number | null> {
    const output = await runner.run(
      {
        file: options.command,
        args: ['get_throttled'],
        timeoutMs: 2000,
        maxOutputBytes: 256,
      },
      signal,
    );
    return output.ok ? parseThrottled(output.value) : null;
  }

  return {
    async read(signal: AbortSignal): Promise<ThrottledValues> {
      let flags: number | null = null;
      if (options.source === 'file' || options.source === 'auto') flags = await fromFile();
      if (flags === null && (options.source === 'vcgencmd' || options.source === 'auto')) {
        flags = await fromCommand(signal);
      }
      return flags === null ? noThrottledValues : throttledValues(flags);
    },
  };
}
export type ThrottledReader = ReturnType<typeof createThrottledReader>;
