import type { SiteStatus } from '@pantau/shared';

/** What a simulated site says of itself; the fields a real agent fills from its spool are quiet. */
export interface SimulatedStatus {
  readonly siteId: string;
  readonly state: SiteStatus['state'];
  readonly reason: SiteStatus['reason'];
  readonly epoch: number;
  readonly atMs: number;
  readonly bootId: string;
  readonly spoolDepth: number;
}

/** A simulated site's status message (birth, will or goodbye), as the agent publishes it. */
export function simulatedStatus(s: SimulatedStatus): SiteStatus {
  return {
    v: 1,
    ...s,
    agentVersion: '0.1.0',
    configHash: null,
    droppedSamples: 0,
    spoolFault: null,
    inventory: null,
  };
}
