import { formatTime, word } from '../alerts/texts.js';
import { type Language, type MessageKey, render } from '../i18n/catalogue.js';
import { cellText, FIGURE_COLUMNS, type FigureColumn } from './columns.js';
import { escapeHtml, type HtmlCell, htmlTable, REPORT_CSS } from './html-parts.js';
import { localParts } from './range.js';
import type { PlannerReport, ReportFigures, SiteReport } from './types.js';

const CAUSE_COLUMNS = FIGURE_COLUMNS.filter((c) => /^downtime_.+_h$/.test(c.id));
const MAIN_COLUMNS = FIGURE_COLUMNS.filter((c) => !CAUSE_COLUMNS.includes(c));

interface Row {
  readonly key: string;
  readonly label: readonly HtmlCell[];
  readonly figures: ReportFigures;
}

/**
 * The report as one printable HTML page in `lang`: inline CSS, no script, no external asset, so it
 * opens on a NOC intranet and prints (or goes through `toPdf`) as it is. Figures carry the CSV's
 * column ids (`data-col`) and row keys (`data-row`).
 */
export function toHtml(report: PlannerReport, lang: Language): string {
  const t = (key: MessageKey, params: Record<string, string | number> = {}) => render(lang, key, params);
  const rows = rowsOf(report, lang);
  const figureTable = (list: readonly Row[], columns: readonly FigureColumn[], labels: readonly MessageKey[]) =>
    htmlTable(
      [...labels.map((k) => t(k)), ...columns.map((c) => t(c.heading))],
      list.map((r) => ({
        key: r.key,
        cells: [...r.label, ...columns.map((c) => ({ text: cellText(c.value(r.figures)), col: c.id, numeric: true }))],
      })),
      t('report.none'),
    );
  const scope =
    report.filters.kabupatenCode === undefined
      ? t('report.scope.all')
      : t('report.scope.kabupaten', {
          code: report.filters.kabupatenCode,
          kabupaten: report.kabupaten[0]?.name ?? report.filters.kabupatenCode,
        });
  const source = report.sites[0]?.availabilitySource ?? 'rollups';
  const areaLabels: MessageKey[] = ['report.col.code', 'report.col.area'];
  const siteLabels: MessageKey[] = ['report.col.site', 'report.col.name', 'report.col.kecamatan'];
  const title = t('report.title', { from: report.range.fromDate, to: report.range.toDate });
  const generatedAt = formatTime(report.generatedAtMs, report.range.timeZone);
  const everyRow = [...rows.total, ...rows.kabupaten, ...rows.kecamatan, ...rows.sites];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p><strong>${escapeHtml(scope)}</strong></p>
<p class="meta">${escapeHtml(t('report.generated', { at: generatedAt, zone: report.range.timeZone }))}
${escapeHtml(t(`report.source.${source}`))}</p>
</header>
<section id="total"><h2>${escapeHtml(t('report.section.total'))}</h2>
${figureTable(rows.total, MAIN_COLUMNS, [])}</section>
<section id="kabupaten"><h2>${escapeHtml(t('report.section.kabupaten'))}</h2>
${figureTable(rows.kabupaten, MAIN_COLUMNS, areaLabels)}</section>
<section id="kecamatan"><h2>${escapeHtml(t('report.section.kecamatan'))}</h2>
${figureTable(rows.kecamatan, MAIN_COLUMNS, areaLabels)}</section>
<section id="sites"><h2>${escapeHtml(t('report.section.sites'))}</h2>
${figureTable(rows.sites, MAIN_COLUMNS, siteLabels)}</section>
<section id="downtime"><h2>${escapeHtml(t('report.section.downtime'))}</h2>
${figureTable(everyRow, CAUSE_COLUMNS, ['report.col.area'])}</section>
${underusedSection(report, lang)}
${heatmapSection(report.sites, lang)}
</body>
</html>
`;
}

function rowsOf(report: PlannerReport, lang: Language) {
  // A decommissioned site says so beside its name: its figures end on that day.
  const nameOf = (s: PlannerReport['sites'][number]) => {
    if (s.decommissionedMs === null) return s.name ?? '';
    const date = localParts(s.decommissionedMs, report.range.timeZone).date;
    return `${s.name ?? ''} (${render(lang, 'report.decommissioned', { date })})`;
  };
  const area = (a: PlannerReport['kabupaten'][number]): Row => ({
    key: `${a.level}:${a.code}`,
    label: [{ text: a.code }, { text: a.name }],
    figures: a.figures,
  });
  return {
    total: [{ key: 'total:', label: [], figures: report.total }] as Row[],
    kabupaten: report.kabupaten.map(area),
    kecamatan: report.kecamatan.map(area),
    sites: report.sites.map(
      (s): Row => ({
        key: `site:${s.siteId}`,
        label: [{ text: s.siteId }, { text: nameOf(s) }, { text: s.kecamatan ?? '' }],
        figures: s.figures,
      }),
    ),
  };
}

function underusedSection(report: PlannerReport, lang: Language): string {
  const t = (key: MessageKey) => render(lang, key, {});
  const table = (kind: 'adoption' | 'availability') =>
    htmlTable(
      [
        t('report.col.site'),
        t('report.col.name'),
        t('report.col.kecamatan'),
        t('report.col.reason'),
        t('report.col.online_pct'),
        t('report.col.client_mb_per_online_hour'),
        t('report.col.active_pct'),
        t('report.col.clients_max'),
      ],
      report.underused[kind].map((u) => ({
        key: `underused:${u.siteId}`,
        cells: [
          { text: u.siteId },
          { text: u.name ?? '' },
          { text: u.kecamatan ?? '' },
          { text: word(lang, `detail.${u.detail}`) },
          { text: String(u.onlinePct), numeric: true },
          { text: String(u.clientMbPerOnlineHour), numeric: true },
          { text: String(u.activePct), numeric: true },
          { text: String(u.clientsMax), numeric: true },
        ],
      })),
      t('report.none'),
    );
  return `<section id="underused"><h2>${escapeHtml(t('report.section.underused'))}</h2>
<h3>${escapeHtml(t('report.section.underused.adoption'))}</h3>
${table('adoption')}
<h3>${escapeHtml(t('report.section.underused.availability'))}</h3>
${table('availability')}</section>`;
}

/** Darker the more of the hour was in use. */
function shade(pct: number): string {
  return `rgba(31, 95, 153, ${Math.min(1, pct / 100).toFixed(2)})`;
}

function heatmapSection(sites: readonly SiteReport[], lang: Language): string {
  const t = (key: MessageKey) => render(lang, key, {});
  const hours = Array.from({ length: 24 }, (_, h) => `<th>${h % 6 === 0 ? h : ''}</th>`).join('');
  const weekdays = Array.from(
    { length: 7 },
    (_, d) => `<th>${escapeHtml(t(`report.weekday.${d}` as MessageKey))}</th>`,
  );
  // A thousand sites' maps are 168,000 cells: each share (to 0.1 %) is written once and reused.
  const cellOf = new Map<number, string>();
  const cell = (v: number) => {
    let html = cellOf.get(v);
    if (html === undefined) {
      html = `<td title="${v} %" data-v="${v}" style="background: ${shade(v)}"></td>`;
      cellOf.set(v, html);
    }
    return html;
  };
  const maps = sites
    .filter((s) => s.heatmap.some((row) => row.some((v) => v !== null && v > 0)))
    .map((s) => {
      const body = s.heatmap
        .map((row, weekday) => {
          const cells = row.map((v) => (v === null ? '<td class="none"></td>' : cell(v))).join('');
          return `<tr>${weekdays[weekday]}${cells}</tr>`;
        })
        .join('');
      const title = `${s.name ?? s.siteId} (${s.siteId})`;
      const table = `<table><thead><tr><th></th>${hours}</tr></thead><tbody>${body}</tbody></table>`;
      return `<div class="heatmap" data-site="${escapeHtml(s.siteId)}"><h3>${escapeHtml(title)}</h3>${table}</div>`;
    })
    .join('\n');
  return `<section id="heatmaps"><h2>${escapeHtml(t('report.section.heatmaps'))}</h2>
<p class="meta">${escapeHtml(t('report.heatmap.note'))}</p>
<div class="heatmaps">${maps === '' ? `<p class="empty">${escapeHtml(t('report.none'))}</p>` : maps}</div></section>`;
}
