import type { Logger } from '@pantau/shared';
import type { MqttConnect } from '../delivery/mqtt/mqtt-link.js';
import type { SpoolIo } from '../delivery/spool/spool-io.js';
import type { ProbeIo } from '../probes/registry.js';
import type { CycleSchedule } from '../schedule/cycles.js';

/**
 * The outside world as the agent reaches it: every clock, file, socket, process and random source.
 * `realAgentIo` gives the real ones (only `pantau-agent` and bench:agent use it); tests give fakes.
 */
export interface AgentIo extends ProbeIo {
  readonly log: Logger;
  /** Opens one connection attempt to the broker. */
  readonly mqtt: MqttConnect;
  /** The spool's disk writes. */
  readonly spoolIo: SpoolIo;
  /** Fires the sample cycle. */
  readonly cycles: CycleSchedule;
  /** Used only when the host has no boot id (not Linux): a random id for this run. */
  readonly randomId: () => string;
}
