import type { HealthConfig } from '../health/config.js';
import { type Language, type MessageKey, messageKey, type Params, render } from '../i18n/catalogue.js';

const ZONE_NAMES: Readonly<Record<string, string>> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
  UTC: 'UTC',
};

type TimeZone = HealthConfig['alerts']['timeZone'];

const formatters = new Map<TimeZone, Intl.DateTimeFormat>();

/** "2026-11-23 02:10 WITA": the NOC's local time, the same in both languages. */
export function formatTime(ms: number, timeZone: TimeZone): string {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return `${f.format(new Date(ms)).replace(',', '')} ${ZONE_NAMES[timeZone] ?? timeZone}`;
}

export function formatDuration(ms: number, language: Language): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const [h, m, d] = language === 'id' ? ['jam', 'menit', 'hari'] : ['h', 'min', 'd'];
  if (minutes < 60) return `${minutes} ${m}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} ${h}` : `${hours} ${h} ${minutes % 60} ${m}`;
  return `${Math.floor(hours / 24)} ${d} ${hours % 24} ${h}`;
}

/** A word from the catalogue by a run-time key (`cause.power`), or the key's last part. */
export function word(language: Language, key: string): string {
  const k = messageKey(key);
  return k === null ? (key.split('.').pop() ?? key) : render(language, k, {});
}

/** Renders one message in both languages; `localise` turns parameters into each language's words. */
export function bothLanguages(key: MessageKey, params: (language: Language) => Params): { en: string; id: string } {
  return { en: clip(render('en', key, params('en'))), id: clip(render('id', key, params('id'))) };
}

/** Renders one message in the given languages only. */
export function inLanguages(
  languages: readonly Language[],
  key: MessageKey,
  params: (language: Language) => Params,
): Partial<Record<Language, string>> {
  const texts: Partial<Record<Language, string>> = {};
  for (const l of languages) texts[l] = clip(render(l, key, params(l)));
  return texts;
}

function clip(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
