import { type CheckLanguage, fixFor, titleFor, words } from './messages.js';
import type { CheckLine } from './run-checks.js';

/** One line per check with a clear mark, and under each failure what to do. */
export function renderChecks(lines: readonly CheckLine[], lang: CheckLanguage): string {
  const width = Math.max(...lines.map((l) => titleFor(l.id, lang).length));
  const out: string[] = [];
  for (const line of lines) {
    const mark = line.ok ? `[ ${words.pass[lang].padEnd(4)} ]` : `[ ${words.fail[lang].padEnd(4)} ]`;
    out.push(`${mark} ${titleFor(line.id, lang).padEnd(width)}  ${line.detail}`);
    if (!line.ok && line.code !== null)
      out.push(`${' '.repeat(9 + width)}  -> ${words.fix[lang]}: ${fixFor(line.code, lang)}`);
  }
  out.push('', lines.every((l) => l.ok) ? words.summaryPass[lang] : words.summaryFail[lang]);
  return `${out.join('\n')}\n`;
}
