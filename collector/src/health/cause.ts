import type { AlertCause } from '@pantau/shared';
import type { HealthConfig } from './config.js';
import type { AfterEvidence, BeforeEvidence, DuringEvidence, OfflineSource } from './site-state.js';

export interface CauseView {
  readonly cause: AlertCause;
  /** A stable code that says which evidence decided (docs/health.md lists them). */
  readonly detail: string;
}

export interface CauseEvidence {
  readonly source: OfflineSource;
  readonly inMaintenance: boolean;
  readonly before: BeforeEvidence;
  readonly during: DuringEvidence;
  readonly after: AfterEvidence;
}

/**
 * The likely cause of an outage from what is known now. The rules run in order and the first that
 * holds decides; data arriving later (backfill, the first sample after the return) can only add
 * evidence, so the answer is recomputed each time and the history keeps the first one.
 */
export function inferCause(e: CauseEvidence, config: HealthConfig['offline']): CauseView {
  if (e.source === 'shutdown') return { cause: 'planned', detail: 'clean_shutdown' };
  if (e.inMaintenance) return { cause: 'planned', detail: 'maintenance' };
  const powerBefore = powerEvidenceBefore(e.before, config);
  // The Pi kept sampling through the silence: the delivery path failed, not the site's power.
  if (e.during.sameBoot > 0) {
    const dish = e.during.dishOutage ?? 0;
    if (e.during.terminalDown > 0) return { cause: 'terminal', detail: 'terminal_down' };
    // The dish said it had no service: its sky view (trees, a roof) or the dish itself, not the Pi's link.
    if (dish > 0) {
      return {
        cause: 'terminal',
        detail: 2 * (e.during.dishObstructed ?? 0) >= dish ? 'dish_obstructed' : 'dish_outage',
      };
    }
    if (e.after.terminalRebooted === true) return { cause: 'terminal', detail: 'terminal_rebooted' };
    if (e.after.routerRebooted === true) return { cause: 'terminal', detail: 'router_rebooted' };
    if (e.during.linkDown > 0) return { cause: 'link', detail: 'link_down' };
    return { cause: 'link', detail: 'broker_unreachable' };
  }
  if (e.after.returned) {
    if (e.after.newBoot === true) {
      if (e.after.previousRunClean === true) return { cause: 'planned', detail: 'clean_reboot' };
      if (powerBefore !== null) return { cause: 'power', detail: powerBefore };
      if (e.after.underVoltageSinceBoot === true) return { cause: 'power', detail: 'undervoltage' };
      if (batteryKnownHealthy(e.before, config)) return { cause: 'agent', detail: 'pi_crashed' };
      return { cause: 'power', detail: 'unclean_reboot' };
    }
    if (e.after.newBoot === false) {
      if (e.after.terminalRebooted === true) return { cause: 'terminal', detail: 'terminal_rebooted' };
      if (e.after.routerRebooted === true) return { cause: 'terminal', detail: 'router_rebooted' };
      if (e.after.agentRestarted === true) return { cause: 'agent', detail: 'agent_restarted' };
      if (e.after.agentRestarted === false) return { cause: 'agent', detail: 'agent_hung' };
    }
  }
  if (powerBefore !== null) return { cause: 'power', detail: powerBefore };
  if (e.before.terminalDown) return { cause: 'terminal', detail: 'terminal_down_before' };
  if ((e.before.dishOutage ?? null) !== null) return { cause: 'terminal', detail: 'dish_outage_before' };
  if (e.before.linkDown) return { cause: 'link', detail: 'link_down_before' };
  return { cause: 'unknown', detail: e.source === 'will' ? 'connection_lost' : 'silent' };
}

/** Battery low, falling fast, or the Pi's supply under voltage, in the last readings before the silence. */
function powerEvidenceBefore(before: BeforeEvidence, config: HealthConfig['offline']): string | null {
  if (before.underVoltage) return 'undervoltage_before';
  const v = before.batteryVolts;
  if (v !== null) {
    const floor = before.disconnectVolts === null ? config.lowBatteryVolts : before.disconnectVolts * 1.03;
    if (v <= floor) return 'battery_low_before';
  }
  if (before.batteryTrendVph !== null && before.batteryTrendVph <= -config.fallingVoltsPerHour) {
    return 'battery_falling_before';
  }
  return null;
}

function batteryKnownHealthy(before: BeforeEvidence, config: HealthConfig['offline']): boolean {
  return (
    before.batteryVolts !== null &&
    before.batteryVolts > config.lowBatteryVolts &&
    (before.batteryTrendVph === null || before.batteryTrendVph > -config.fallingVoltsPerHour)
  );
}
