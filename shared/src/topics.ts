import { z } from 'zod';
import { type AlertKind, alertKindSchema } from './alert.js';
import { siteIdSchema } from './ids.js';

/** Default root of every topic; the version in it changes only with an incompatible protocol. */
export const DEFAULT_TOPIC_ROOT = 'pantau/v1';

/** A root is one or more plain topic levels: no wildcards, no empty level, no leading `$`. */
export const topicRootSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
    'a topic root is levels of A-Z, a-z, 0-9, ".", "_" or "-" separated by "/", e.g. pantau/v1',
  );

/**
 * Topic kinds and who publishes them:
 * - telemetry: agent, QoS 1, not retained;
 * - status: agent (birth, shutdown) and broker (will), QoS 1, retained;
 * - resend: collector to agent, QoS 1, not retained;
 * - resend-reply: agent to collector, QoS 1, not retained;
 * - check: the agent's self-test echoes a message to itself here; nobody else reads it;
 * - alert: collector, QoS 1, retained, one topic per site and alert kind.
 */
export type SiteTopicKind = 'telemetry' | 'status' | 'resend' | 'resend-reply' | 'check';
const siteTopicKinds: readonly SiteTopicKind[] = ['telemetry', 'status', 'resend', 'resend-reply', 'check'];

export type ParsedTopic =
  | { kind: SiteTopicKind; siteId: string }
  | { kind: 'alert'; siteId: string; alertKind: AlertKind };

export function siteTopic(root: string, siteId: string, kind: SiteTopicKind): string {
  return `${root}/site/${siteId}/${kind}`;
}

export function alertTopic(root: string, siteId: string, alertKind: AlertKind): string {
  return `${root}/alert/${siteId}/${alertKind}`;
}

/** Subscription filter for one kind of site topic across every site. */
export function siteTopicFilter(root: string, kind: SiteTopicKind): string {
  return `${root}/site/+/${kind}`;
}

export function alertTopicFilter(root: string): string {
  return `${root}/alert/#`;
}

/** Parses a topic under `root`; null when it is not one of ours or its site id is invalid. */
export function parseTopic(root: string, topic: string): ParsedTopic | null {
  const prefix = `${root}/`;
  if (!topic.startsWith(prefix)) return null;
  const levels = topic.slice(prefix.length).split('/');
  const [area, siteId, kind, ...rest] = levels;
  if (siteId === undefined || !siteIdSchema.safeParse(siteId).success) return null;
  if (area === 'site' && rest.length === 0) {
    const siteKind = siteTopicKinds.find((k) => k === kind);
    return siteKind === undefined ? null : { kind: siteKind, siteId };
  }
  if (area === 'alert' && rest.length === 0) {
    const alertKind = alertKindSchema.safeParse(kind);
    return alertKind.success ? { kind: 'alert', siteId, alertKind: alertKind.data } : null;
  }
  return null;
}
