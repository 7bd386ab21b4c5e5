import type { AlertKind } from '@pantau/shared';
import type { AlertRecord, IncidentRecord } from '../alerts/alert-record.js';
import type { Maintenance, Silence } from '../alerts/controls.js';
import type { OutboxItem, SinkName } from '../alerts/notification.js';
import type { NocState } from './noc-guard.js';
import type { SiteHealth } from './site-state.js';

/** One line of a site's (or the NOC's) history: a state began or ended, or its cause was revised. */
export interface Transition {
  readonly siteId: string | null;
  readonly kind: AlertKind | 'noc';
  readonly event: 'began' | 'ended' | 'cause_revised';
  readonly atMs: number;
  readonly sinceMs: number;
  readonly cause: string;
  readonly detail: string;
  /** For a revision: the view it replaces (the first view stays in the `began` line). */
  readonly previousCause: string | null;
  readonly previousDetail: string | null;
  readonly episodeId: string | null;
}

/** Everything one event changed, written in one transaction so a crash loses none of it. */
export interface HealthCommit {
  readonly sites: readonly SiteHealth[];
  readonly noc: NocState;
  readonly alerts: readonly AlertRecord[];
  /** Open incidents to keep, and ended ones (with `endsAtMs`) to close. */
  readonly incidents: readonly IncidentRecord[];
  readonly transitions: readonly Transition[];
  readonly outbox: readonly OutboxItem[];
  readonly savedAtMs: number;
}

export interface HealthSnapshotData {
  readonly sites: SiteHealth[];
  readonly noc: NocState | null;
  readonly alerts: AlertRecord[];
  readonly openIncidents: IncidentRecord[];
  readonly savedAtMs: number | null;
}

/** Health state, alert records and transitions (a store role). */
export interface HealthStateStore {
  load(): Promise<HealthSnapshotData>;
  commit(change: HealthCommit): Promise<void>;
  /** A site's history (or the NOC's, with null), oldest first, within [fromMs, toMs). */
  history(siteId: string | null, fromMs: number, toMs: number): Promise<Transition[]>;
}

/**
 * Notifications waiting for their sinks (a store role): durable, so a restart loses none. Items of
 * one key leave in order: `due` gives no item while an earlier one of its key is still waiting.
 */
export interface AlertOutbox {
  due(sink: SinkName, nowMs: number, limit: number): Promise<OutboxItem[]>;
  delivered(sink: SinkName, notificationId: string): Promise<void>;
  retryLater(sink: SinkName, notificationId: string, nextAttemptMs: number, error: string): Promise<void>;
  /** Gives an item up (refused for good, or too old); it is kept apart and counted. */
  giveUp(sink: SinkName, notificationId: string, error: string): Promise<void>;
  waiting(sink: SinkName): Promise<number>;
}

/** An acknowledgement asked for by a command, applied by the running collector. */
export interface AckRequest {
  readonly key: string;
  readonly by: string;
  readonly note: string;
  readonly requestedMs: number;
}

/**
 * The operator's silences and maintenance windows, and acknowledgements (a store role). Commands
 * write here and the running collector reads it back, so they work while it runs.
 */
export interface ControlsStore {
  silences(): Promise<Silence[]>;
  maintenance(): Promise<Maintenance[]>;
  putSilence(silence: Silence): Promise<void>;
  putMaintenance(window: Maintenance): Promise<void>;
  /** Ends a silence or a maintenance window now (kept for the record). */
  end(id: string, atMs: number): Promise<boolean>;
  /** Asks for an alert (by key) or incident (by id) to be acknowledged; the newest ask per key stays. */
  requestAck(ack: AckRequest): Promise<void>;
  /** Asks not yet applied, oldest first. */
  pendingAcks(): Promise<AckRequest[]>;
  /** The collector applied (or refused) this ask; a newer ask for the same key stays. */
  ackApplied(ack: AckRequest): Promise<void>;
}

/** What retention deletes of health data: what lies before these times. */
export interface HealthHorizon {
  /** History lines, ended incidents, ended silences and maintenance windows. */
  readonly historyBeforeMs: number;
  /** Outbox items by creation (given up, or waiting for a sink no longer configured). */
  readonly outboxBeforeMs: number;
}

/** How many of each were deleted. */
export interface HealthPruned {
  readonly transitions: number;
  readonly incidents: number;
  readonly controls: number;
  readonly outbox: number;
}

/** Retention of health data (a store role). */
export interface HealthRetention {
  /**
   * Deletes what lies before the horizon, except the line where a state still open began (the
   * history must still say since when it holds, however long ago).
   */
  pruneHealth(horizon: HealthHorizon): Promise<HealthPruned>;
}
