import { type DashboardKey, dashboardEn } from '../../i18n/dashboard-en.js';
import { dashboardId } from '../../i18n/dashboard-id.js';
import { en, type MessageKey } from '../../i18n/en.js';
import { id } from '../../i18n/id.js';

/** The dashboard's own texts and the alert texts (kinds, causes, details) the collector already speaks. */
export type Language = 'en' | 'id';
export type Key = DashboardKey | MessageKey;
const catalogues: Record<Language, Readonly<Record<string, string>>> = {
  en: { ...en, ...dashboardEn },
  id: { ...id, ...dashboardId },
};
const LOCALES: Record<Language, string> = { en: 'en-GB', id: 'id-ID' };
const STORAGE_KEY = 'pantau.language';
// The sites and the NOC are in Kalimantan Timur: times are shown in WITA whatever the screen's zone.
const TIME_ZONE = 'Asia/Makassar';

let language: Language = initialLanguage();

function initialLanguage(): Language {
  const stored = safeStorageGet();
  if (stored === 'en' || stored === 'id') return stored;
  return navigator.language.toLowerCase().startsWith('id') ? 'id' : 'en';
}

function safeStorageGet(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function currentLanguage(): Language {
  return language;
}

export function setLanguage(next: Language): void {
  language = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function t(key: Key, params: Readonly<Record<string, string | number>> = {}): string {
  const text = catalogues[language][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? '?'));
}

/** A text for a key made from data (`cause.<cause>`, `state.<state>`); the raw value when unknown. */
export function tData(prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return t('value.none');
  return catalogues[language][`${prefix}.${value}`] ?? value;
}

const formats = new Map<string, Intl.DateTimeFormat>();

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return t('value.none');
  const cacheKey = language;
  let format = formats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(LOCALES[language], {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(cacheKey, format);
  }
  return `${format.format(ms)} WITA`;
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 90) return t('duration.min', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('duration.h', { n: hours });
  return t('duration.d', { n: Math.round(hours / 24) });
}

export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('value.none');
  return value.toLocaleString(LOCALES[language], { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return t('value.none');
  if (bytes >= 1e9) return `${formatNumber(bytes / 1e9, 1)} GB`;
  return `${formatNumber(bytes / 1e6, bytes >= 1e8 ? 0 : 1)} MB`;
}

const axisFormats = new Map<string, Intl.DateTimeFormat>();

/** A chart tick: `14:00` or `3 Dec` (`3 Des`), in WITA. */
export function axisTime(ms: number, withHours: boolean): string {
  const cacheKey = `${language}/${withHours}`;
  let format = axisFormats.get(cacheKey);
  if (format === undefined) {
    const parts: Intl.DateTimeFormatOptions = withHours
      ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : { day: 'numeric', month: 'short' };
    format = new Intl.DateTimeFormat(LOCALES[language], { timeZone: TIME_ZONE, ...parts });
    axisFormats.set(cacheKey, format);
  }
  return format.format(ms);
}
