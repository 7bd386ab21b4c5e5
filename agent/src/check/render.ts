import { type CheckLanguage, fixFor, say, titleFor } from './messages.js';
import type { CheckLine } from './run-checks.js';

/**
 * One line per check with a clear mark, and under each failure what to do. Marks are as wide as
 * the language's longer word (`[ OK    ]`, `[ GAGAL ]`), so the columns line up in either.
 */
export function renderChecks(lines: readonly CheckLine[], lang: CheckLanguage): string {
  const pass = say(lang, { key: 'word.pass' });
  const fail = say(lang, { key: 'word.fail' });
  const markWidth = Math.max(pass.length, fail.length);
  const width = Math.max(...lines.map((l) => titleFor(l.id, lang).length));
  const indent = ' '.repeat(markWidth + 4 + 1 + width);
  const out: string[] = [];
  for (const line of lines) {
    const mark = `[ ${(line.ok ? pass : fail).padEnd(markWidth)} ]`;
    const detail = line.detail.map((m) => say(lang, m)).join('; ');
    out.push(`${mark} ${titleFor(line.id, lang).padEnd(width)}  ${detail}`.trimEnd());
    if (!line.ok && line.code !== null) {
      out.push(`${indent}  -> ${say(lang, { key: 'word.fix' })}: ${fixFor(line.code, lang)}`);
    }
  }
  out.push('', say(lang, { key: lines.every((l) => l.ok) ? 'word.summaryPass' : 'word.summaryFail' }));
  return `${out.join('\n')}\n`;
}
