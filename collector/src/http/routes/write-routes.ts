import { alertKindSchema } from '@pantau/shared';
import { z } from 'zod';
import { scopeSchema } from '../../alerts/controls.js';
import type { ControlsStore } from '../../health/ports.js';
import type { Principal } from '../access/principal.js';
import { sendError } from '../api-error.js';
import type { AuditLog } from '../audit-log.js';
import { type RouteDef, route } from '../route.js';

const timeMs = z.int().min(0);
const windowBody = z
  .object({
    scope: scopeSchema,
    startsMs: timeMs,
    endsMs: timeMs,
    comment: z.string().max(500).default(''),
  })
  .refine((w) => w.startsMs < w.endsMs, { message: 'startsMs must be before endsMs', path: ['endsMs'] });
const silenceBody = z
  .object({
    scope: scopeSchema,
    kinds: z.array(alertKindSchema).default([]),
    startsMs: timeMs,
    endsMs: timeMs,
    comment: z.string().max(500).default(''),
  })
  .refine((w) => w.startsMs < w.endsMs, { message: 'startsMs must be before endsMs', path: ['endsMs'] });

export interface WriteRouteDeps {
  readonly store: ControlsStore & AuditLog;
  readonly nowMs: () => number;
  /** A new control's id (a random one in production). */
  readonly newId: (prefix: string) => string;
  /** After a write: the overview shows it at its next snapshot rather than in a couple of seconds. */
  readonly changed: () => void;
}

function who(principal: Principal | null): { user: string; role: string } {
  return { user: principal?.user ?? 'anonymous', role: principal?.role ?? 'none' };
}

/** The admin's writes; each leaves an audit line, allowed or not (the guard writes the refused ones). */
export function writeRoutes(deps: WriteRouteDeps): RouteDef[] {
  const audit = (principal: Principal | null, action: string, target: string, ok: boolean, detail: string) =>
    deps.store.appendAudit({ atMs: deps.nowMs(), ...who(principal), action, target, ok, detail });

  return [
    route({
      method: 'POST',
      url: '/api/alerts/ack',
      tag: 'writes',
      summary: 'Acknowledge an alert (key: siteId/kind) or an incident (its id); applied by the health evaluator',
      access: 'admin',
      body: z.object({ key: z.string().min(1).max(200), note: z.string().max(500).default('') }),
      response: { status: 202, schema: z.object({ queued: z.literal(true) }) },
      async handler({ body, principal }) {
        const by = who(principal).user;
        await deps.store.requestAck({ key: body.key, by, note: body.note, requestedMs: deps.nowMs() });
        await audit(principal, 'ack', body.key, true, body.note);
        deps.changed();
        return { queued: true as const };
      },
    }),
    route({
      method: 'POST',
      url: '/api/silences',
      tag: 'writes',
      summary: 'Silence notifications of a site, kecamatan or kabupaten (kinds: empty for all)',
      access: 'admin',
      body: silenceBody,
      response: { status: 201, schema: z.object({ id: z.string() }) },
      async handler({ body, principal }) {
        const id = deps.newId('silence');
        await deps.store.putSilence({ id, ...body, by: who(principal).user });
        await audit(principal, 'silence', id, true, JSON.stringify(body.scope));
        deps.changed();
        return { id };
      },
    }),
    route({
      method: 'POST',
      url: '/api/maintenance',
      tag: 'writes',
      summary: 'A maintenance window: outages inside it are planned, nothing is notified',
      access: 'admin',
      body: windowBody,
      response: { status: 201, schema: z.object({ id: z.string() }) },
      async handler({ body, principal }) {
        const id = deps.newId('maintenance');
        await deps.store.putMaintenance({ id, ...body, by: who(principal).user });
        await audit(principal, 'maintenance', id, true, JSON.stringify(body.scope));
        deps.changed();
        return { id };
      },
    }),
    route({
      method: 'POST',
      url: '/api/controls/:id/end',
      tag: 'writes',
      summary: 'End a silence or maintenance window now (kept for the record)',
      access: 'admin',
      params: z.object({ id: z.string().min(1).max(128) }),
      response: { status: 200, schema: z.object({ ended: z.literal(true) }) },
      async handler({ params, principal, reply }) {
        const ended = await deps.store.end(params.id, deps.nowMs());
        await audit(principal, 'end', params.id, ended, ended ? '' : 'no such control');
        if (!ended) return sendError(reply, 404, 'not_found', `no silence or maintenance window ${params.id}`);
        deps.changed();
        return { ended: true as const };
      },
    }),
  ];
}
