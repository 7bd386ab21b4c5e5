/** Small pieces of the printable page: escaping, tables, the inline style sheet. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HtmlCell {
  readonly text: string;
  /** The figure's stable column id, so a reader (or a test) can find it. */
  readonly col?: string;
  readonly numeric?: boolean;
}

export function htmlTable(
  headings: readonly string[],
  rows: readonly { readonly key: string; readonly cells: readonly HtmlCell[] }[],
  empty: string,
): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = headings.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => {
      const cells = r.cells
        .map((c) => {
          const col = c.col === undefined ? '' : ` data-col="${escapeHtml(c.col)}"`;
          const attrs = `${col}${c.numeric ? ' class="n"' : ''}`;
          return `<td${attrs}>${escapeHtml(c.text === '' ? '–' : c.text)}</td>`;
        })
        .join('');
      return `<tr data-row="${escapeHtml(r.key)}">${cells}</tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Printable on A4 landscape, readable on a screen; no font, image or script from anywhere. */
export const REPORT_CSS = `
@page { size: A4 landscape; margin: 12mm 10mm 14mm 10mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9pt; color: #1b1f24; margin: 0 auto;
  max-width: 1400px; padding: 8px; }
h1 { font-size: 15pt; margin: 0 0 4px; }
h2 { font-size: 12pt; margin: 18px 0 6px; border-bottom: 2px solid #1f5f99; padding-bottom: 2px; }
h3 { font-size: 10pt; margin: 10px 0 4px; }
p { margin: 2px 0; }
.meta { color: #4a5562; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th { background: #e8eef5; text-align: left; font-weight: 600; font-size: 7.5pt; padding: 3px 4px;
  border: 1px solid #c9d3de; }
td { padding: 2px 4px; border: 1px solid #dde3ea; font-size: 8pt; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #f7f9fb; }
.empty { color: #4a5562; font-style: italic; }
.heatmaps { display: flex; flex-wrap: wrap; gap: 10px; }
.heatmap { break-inside: avoid; page-break-inside: avoid; }
.heatmap table { width: auto; }
.heatmap td, .heatmap th { width: 11px; height: 11px; padding: 0; border: 1px solid #fff; font-size: 6pt;
  text-align: center; }
.heatmap th { background: none; border: none; font-weight: normal; }
.heatmap td.none { background: #eee; }
section { margin-bottom: 6px; }
`;
