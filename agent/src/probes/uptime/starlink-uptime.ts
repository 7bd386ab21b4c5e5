import { fail, ok, type Result } from '@pantau/shared';
import type { StarlinkDish, TerminalErrorCode } from '../terminal/starlink-dish.js';

/** The terminal's uptime, whatever kind of terminal answers. */
export interface TerminalUptimeSource {
  readonly kind: string;
  read(signal: AbortSignal): Promise<Result<number, TerminalErrorCode>>;
}

/**
 * A Starlink dish's uptime (get_status, device_state.uptime_s), from the same status answer the
 * terminal probe reads in this sample: the dish is asked once.
 */
export function createStarlinkUptimeSource(dish: StarlinkDish): TerminalUptimeSource {
  return {
    kind: 'starlink',
    async read(signal) {
      const status = await dish.status(signal);
      if (!status.ok) return status;
      if (status.value.uptimeMs === null) return fail('terminal_bad_response', 'dish_get_status has no device_state');
      return ok(status.value.uptimeMs);
    },
  };
}
