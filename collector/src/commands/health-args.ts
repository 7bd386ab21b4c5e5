import type { AlertKind } from '@pantau/shared';
import { alertKindSchema } from '@pantau/shared';

/** What a silence or maintenance window covers, as given on the command line. */
export interface ScopeArgs {
  readonly siteId?: string;
  readonly kecamatanCode?: string;
  readonly kabupatenCode?: string;
}

/** When a silence or maintenance window runs: from now or `--from`, for `--for` or until `--until`. */
export interface WindowArgs {
  readonly fromIso: string | undefined;
  readonly untilIso: string | undefined;
  readonly forMs: number | undefined;
}

export type AlertsAction =
  | { readonly type: 'list' }
  | { readonly type: 'ack'; readonly key: string; readonly by: string; readonly note: string }
  | {
      readonly type: 'silence' | 'maintenance';
      readonly scope: ScopeArgs;
      readonly kinds: readonly AlertKind[];
      readonly window: WindowArgs;
      readonly by: string;
      readonly comment: string;
    }
  | { readonly type: 'end'; readonly id: string };

export interface AlertOptions {
  readonly site?: string | undefined;
  readonly kecamatan?: string | undefined;
  readonly kabupaten?: string | undefined;
  readonly kind?: string | undefined;
  readonly for?: string | undefined;
  readonly from?: string | undefined;
  readonly until?: string | undefined;
  readonly by?: string | undefined;
  readonly note?: string | undefined;
  readonly comment?: string | undefined;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `2h`, `1d` in milliseconds, or null. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (m === null) return null;
  return Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000);
}

/** `alerts [list|ack KEY|silence ...|maintenance ...|end ID]`: the action, or a usage message. */
export function parseAlertsAction(words: readonly string[], o: AlertOptions, who: string): AlertsAction | string {
  const [verb = 'list', arg, ...extra] = words;
  if (extra.length > 0) return `unexpected argument: ${extra.join(' ')}`;
  const by = o.by ?? who;
  switch (verb) {
    case 'list':
      return arg === undefined ? { type: 'list' } : `unexpected argument: ${arg}`;
    case 'ack':
      if (arg === undefined) return 'alerts ack needs the alert: SITE/KIND as `alerts` lists it (or SITE for offline)';
      return { type: 'ack', key: arg.includes('/') ? arg : `${arg}/offline`, by, note: o.note ?? '' };
    case 'end':
      return arg === undefined
        ? 'alerts end needs the id of a silence or maintenance window'
        : { type: 'end', id: arg };
    case 'silence':
    case 'maintenance': {
      if (arg !== undefined) return `unexpected argument: ${arg}`;
      const scopes = [o.site, o.kecamatan, o.kabupaten].filter((v) => v !== undefined);
      if (scopes.length !== 1) return `alerts ${verb} needs one of --site ID, --kecamatan CODE, --kabupaten CODE`;
      const kinds: AlertKind[] = [];
      for (const k of (o.kind ?? '').split(',').filter((s) => s !== '')) {
        const parsed = alertKindSchema.safeParse(k.trim());
        if (!parsed.success) return `--kind ${k}: not a kind (${alertKindSchema.options.join(', ')})`;
        kinds.push(parsed.data);
      }
      if (verb === 'maintenance' && kinds.length > 0) return '--kind applies to silences only';
      const forMs = o.for === undefined ? undefined : parseDuration(o.for);
      if (forMs === null) return `--for ${o.for}: give a duration such as 90m, 2h or 1d`;
      if ((forMs === undefined) === (o.until === undefined))
        return `alerts ${verb} needs --for DURATION or --until TIME`;
      const scope: ScopeArgs =
        o.site !== undefined
          ? { siteId: o.site }
          : o.kecamatan !== undefined
            ? { kecamatanCode: o.kecamatan }
            : { kabupatenCode: o.kabupaten ?? '' };
      return {
        type: verb,
        scope,
        kinds,
        window: { fromIso: o.from, untilIso: o.until, forMs },
        by,
        comment: o.comment ?? '',
      };
    }
    default:
      return `unknown alerts action: ${verb} (list, ack, silence, maintenance, end)`;
  }
}

/** The window in epoch ms, or a message naming the bad time. */
export function resolveWindow(w: WindowArgs, nowMs: number): { startsMs: number; endsMs: number } | string {
  const time = (iso: string, name: string) => {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? ms : `${name} ${iso}: give a time such as 2026-12-02T08:00+08:00`;
  };
  const startsMs = w.fromIso === undefined ? nowMs : time(w.fromIso, '--from');
  if (typeof startsMs === 'string') return startsMs;
  const endsMs = w.untilIso === undefined ? startsMs + (w.forMs ?? 0) : time(w.untilIso, '--until');
  if (typeof endsMs === 'string') return endsMs;
  if (endsMs <= startsMs) return 'the window ends before it starts';
  return { startsMs, endsMs };
}

/**
 * `sites set SITE` takes fields as `--field value`, `--field=value` or `field=value` (CSV or YAML
 * names); `--config`/`-c` and `--db` keep their meaning. Returns the assignments as `field=value`.
 */
export function siteSetArgs(
  argv: readonly string[],
): { assignments: string[]; config: string | undefined; db: string | undefined } | string {
  const assignments: string[] = [];
  let config: string | undefined;
  let db: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (!word.startsWith('-')) {
      assignments.push(word);
      continue;
    }
    const name = word.replace(/^--?/, '');
    const eq = name.indexOf('=');
    const key = eq < 0 ? name : name.slice(0, eq);
    let value = eq < 0 ? undefined : name.slice(eq + 1);
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) return `${word} needs a value`;
      i++;
    }
    if (key === 'config' || key === 'c') config = value;
    else if (key === 'db') db = value;
    else assignments.push(`${key}=${value}`);
  }
  return { assignments, config, db };
}
