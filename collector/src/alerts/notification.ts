import type { Alert, AlertCause, Incident } from '@pantau/shared';
import type { AlertEvent, IncidentEvent, Texts } from './messages.js';

export type SinkName = 'mqtt' | 'webhook' | 'alertmanager';

/**
 * One thing to tell: an alert's state (to publish retained on MQTT) or a notification (webhook,
 * Alertmanager) about an alert or an incident. Its id is unique and stable, so a receiver can
 * drop a repeat (a delivery whose acknowledgement was lost is sent again).
 */
export interface Notification {
  readonly id: string;
  /** Notifications with one key are delivered in order (an alert's firing before its resolution). */
  readonly key: string;
  readonly createdMs: number;
  readonly event: AlertEvent | IncidentEvent | 'state';
  readonly alert: Alert | null;
  readonly incident: Incident | null;
  /** The text in both languages; null on a state publication (its alert's summary has one). */
  readonly texts: Texts | null;
  /** The cause a firing alert had before this (Alertmanager ends the alert under its old labels). */
  readonly previousCause: AlertCause | null;
}

/** A notification waiting for one sink. */
export interface OutboxItem {
  readonly sink: SinkName;
  readonly notification: Notification;
  readonly attempts: number;
  readonly nextAttemptMs: number;
  readonly lastError: string | null;
}
