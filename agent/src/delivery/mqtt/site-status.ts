import { encodePayload, type HostInventory, type SiteStatusInput } from '@pantau/shared';
import type { SpoolFault } from '../spool/spool.js';

/** Who the site is, as every status message says it. */
export interface SiteIdentity {
  readonly siteId: string;
  readonly bootId: string;
  readonly agentVersion: string;
  readonly configHash: string;
}

export interface SpoolState {
  readonly depth: number;
  readonly dropped: number;
  readonly fault: SpoolFault | null;
}

export interface StatusChange {
  readonly state: SiteStatusInput['state'];
  readonly reason: SiteStatusInput['reason'];
  /** The connection's epoch: a late will from an older connection is recognisable by it. */
  readonly epoch: number;
  readonly atMs: number;
}

/** The retained status payload: birth (online), will (offline, connection_lost), goodbye (shutdown). */
export function encodeSiteStatus(
  identity: SiteIdentity,
  spool: SpoolState,
  change: StatusChange,
  inventory: HostInventory | null = null,
): Buffer {
  return encodePayload('status', {
    v: 1,
    siteId: identity.siteId,
    state: change.state,
    reason: change.reason,
    epoch: change.epoch,
    atMs: Math.round(change.atMs),
    bootId: identity.bootId,
    agentVersion: identity.agentVersion,
    configHash: identity.configHash,
    spoolDepth: spool.depth,
    droppedSamples: spool.dropped,
    spoolFault: spool.fault,
    inventory,
  });
}
