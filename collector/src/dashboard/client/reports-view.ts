import { errorText } from './api.js';
import type { View } from './app-context.js';
import type { Overview } from './contract.js';
import { h, replace } from './dom.js';
import { currentLanguage, t } from './i18n.js';

const FORMATS = ['csv', 'json', 'pdf'] as const;

/** The last whole calendar month before `nowMs`, as the report's first and last day. */
export function lastMonth(nowMs: number): { from: string; to: string } {
  const now = new Date(nowMs);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

function reportUrl(path: string, params: Readonly<Record<string, string>>): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
  return `${path}?${query.toString()}`;
}

/**
 * The planner's report, as `pantau-collector report` makes it: the printable page shown here, and
 * the same range as CSV, JSON or PDF, and the open-data export, as downloads. The range and
 * kabupaten stay in the address, so a report can be bookmarked or sent.
 */
export const reportsView: View = (container, ctx, route) => {
  const month = lastMonth(ctx.nowMs());
  const from = h('input', { type: 'date', name: 'from', value: route.query.get('from') ?? month.from, required: true });
  const to = h('input', { type: 'date', name: 'to', value: route.query.get('to') ?? month.to, required: true });
  const kabupaten = h('select', { name: 'kabupaten' }, h('option', { value: '' }, t('filter.all')));
  const links = h('p', { class: 'report-links' });
  const frameSlot = h('div', { class: 'report-frame' });
  const message = h('p', { class: 'error', role: 'alert' });

  const params = () => ({ from: from.value, to: to.value, kabupaten: kabupaten.value, lang: currentLanguage() });
  const show = () => {
    message.textContent = '';
    if (from.value > to.value) {
      message.textContent = t('reports.badRange');
      return;
    }
    const p = params();
    history.replaceState(
      null,
      '',
      `#/reports?${new URLSearchParams({ from: p.from, to: p.to, kabupaten: p.kabupaten })}`,
    );
    replace(
      links,
      t('reports.download'),
      ...FORMATS.map((format) => [
        ' ',
        h(
          'a',
          { href: reportUrl('/api/report', { ...p, format }), download: '', 'data-format': format },
          format.toUpperCase(),
        ),
      ]),
      h('br', {}),
      t('reports.openData'),
      ' ',
      h('a', { href: reportUrl('/api/open-data', { from: p.from, to: p.to }), download: '' }, t('reports.openDataCsv')),
      ' · ',
      h('a', { href: '/api/open-data/metadata.json', target: '_blank' }, t('reports.openDataMeta')),
    );
    replace(
      frameSlot,
      h('iframe', { title: t('reports.title'), src: reportUrl('/api/report', { ...p, format: 'html' }) }),
    );
    container.dataset.loaded = 'true';
  };

  replace(
    container,
    h('h1', {}, t('reports.title')),
    h('p', { class: 'muted' }, t('reports.intro')),
    h(
      'form',
      {
        class: 'filters report-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          show();
        },
      },
      h('label', {}, t('reports.from'), from),
      h('label', {}, t('reports.to'), to),
      h('label', {}, t('filter.kabupaten'), kabupaten),
      h('button', { type: 'submit' }, t('reports.show')),
    ),
    message,
    links,
    frameSlot,
  );

  let stopped = false;
  void ctx.api
    .get<Overview>('/api/overview')
    .then((overview) => {
      if (stopped) return;
      for (const area of overview.areas) {
        kabupaten.append(h('option', { value: area.kabupatenCode }, `${area.kabupatenCode} ${area.kabupaten}`));
      }
      kabupaten.value = route.query.get('kabupaten') ?? '';
    })
    .catch((error: unknown) => {
      if (!stopped) message.textContent = t('error.load', { message: errorText(error) });
    });
  show();
  return () => {
    stopped = true;
  };
};
