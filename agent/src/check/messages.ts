import { type CheckMessageKey, en } from './catalogue/en.js';
import { id } from './catalogue/id.js';

/** The languages the technician's self-test speaks. */
export const checkLanguages = ['en', 'id'] as const;
export type CheckLanguage = (typeof checkLanguages)[number];

export const checkCatalogues: Readonly<Record<CheckLanguage, Readonly<Record<CheckMessageKey, string>>>> = { en, id };
export type { CheckMessageKey } from './catalogue/en.js';

/** A text to show, in whichever language: its key and the values of its placeholders. */
export interface CheckMessage {
  readonly key: CheckMessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** Fills a text's placeholders; a missing value shows as `?` rather than breaking the line. */
export function say(lang: CheckLanguage, message: CheckMessage): string {
  return checkCatalogues[lang][message.key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(message.params?.[name] ?? '?'),
  );
}

function known(key: string): CheckMessageKey | null {
  return Object.hasOwn(en, key) ? (key as CheckMessageKey) : null;
}

/** What to do about a failure, by its stable code; codes without a text point to docs/errors.md. */
export function fixFor(code: string, lang: CheckLanguage): string {
  const key = known(`fix.${code}`);
  return key === null ? say(lang, { key: 'fix.other', params: { code } }) : say(lang, { key });
}

/** A check's name, as printed at the start of its line. */
export function titleFor(checkId: string, lang: CheckLanguage): string {
  const key = known(`title.${checkId}`);
  return key === null ? checkId : say(lang, { key });
}

/** The placeholders of a text, sorted: both languages must use the same ones. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
