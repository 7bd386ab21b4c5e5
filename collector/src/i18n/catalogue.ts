import { en, type MessageKey } from './en.js';
import { id } from './id.js';

export type Language = 'en' | 'id';
export const catalogues: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, id };
export type { MessageKey } from './en.js';

/** A placeholder's value by name: a table, or a function that works out only the ones a text uses. */
export type Params = Readonly<Record<string, string | number>> | ((name: string) => string | number | undefined);

/** Fills a message's placeholders; a missing value shows as `?` rather than breaking the text. */
export function render(language: Language, key: MessageKey, params: Params): string {
  const value = typeof params === 'function' ? params : (name: string) => params[name];
  return catalogues[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(value(name) ?? '?'));
}

/** A key made at run time (e.g. `cause.<cause>`), if the catalogue has it. */
export function messageKey(key: string): MessageKey | null {
  return Object.hasOwn(en, key) ? (key as MessageKey) : null;
}

/** The placeholders of a text, sorted: both languages must use the same ones. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
