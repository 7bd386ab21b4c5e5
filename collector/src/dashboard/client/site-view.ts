import { alertsTable } from './alerts-table.js';
import { ApiError, errorText } from './api.js';
import type { View } from './app-context.js';
import type { Chart } from './charts.js';
import type { Completeness, Series, SiteDetail, Transition } from './contract.js';
import { h, replace } from './dom.js';
import { formatNumber, formatTime, t, tData } from './i18n.js';
import { coalesce } from './live.js';
import { siteCharts } from './site-charts.js';
import { areaText, siteName } from './site-text.js';
import { stateBadge } from './state-badge.js';

const DAY_MS = 86_400_000;
const RANGES = {
  '1d': { days: 1, grain: 'hour' },
  '7d': { days: 7, grain: 'hour' },
  '30d': { days: 30, grain: 'day' },
} as const;
type RangeName = keyof typeof RANGES;

/** One site: what is wrong now and why, its alerts, its figures over time, its outage history. */
export const siteView: View = (container, ctx, route) => {
  const siteId = route.parts[1] ?? '';
  const rangeParam = route.query.get('range');
  let range: RangeName = rangeParam === '1d' || rangeParam === '30d' ? rangeParam : '7d';
  let charts: Chart[] = [];
  let stopped = false;
  const header = h('section', { class: 'site-head' });
  const alertsSlot = h('section', {});
  const rangeBar = h('div', { class: 'ranges', role: 'group' });
  const chartSlot = h('div', { class: 'charts' });
  const completenessSlot = h('section', {});
  const timelineSlot = h('section', {});
  replace(
    container,
    h('p', {}, h('a', { href: '#/' }, `← ${t('site.back')}`)),
    header,
    alertsSlot,
    h('h2', {}, t('site.range')),
    rangeBar,
    chartSlot,
    completenessSlot,
    timelineSlot,
  );

  const base = `/api/sites/${encodeURIComponent(siteId)}`;
  const loadDetail = async () => {
    try {
      const detail = await ctx.api.get<SiteDetail>(base);
      if (stopped) return;
      renderHead(header, detail);
      replace(
        alertsSlot,
        h('h2', {}, t('site.alerts')),
        alertsTable(detail.alerts, ctx, () => refresh.request()),
      );
      replace(timelineSlot, h('h2', {}, t('site.timeline')), timeline(detail.history));
      container.dataset.loaded = 'true';
    } catch (error) {
      if (stopped) return;
      const text =
        error instanceof ApiError && error.status === 404
          ? t('site.notFound', { siteId })
          : t('error.load', { message: errorText(error) });
      replace(header, h('p', { class: 'error' }, text));
    }
  };
  const loadSeries = async () => {
    const toMs = ctx.nowMs();
    const { days, grain } = RANGES[range];
    const fromMs = toMs - days * DAY_MS;
    try {
      const [series, completeness] = await Promise.all([
        ctx.api.get<Series>(`${base}/series?fromMs=${fromMs}&toMs=${toMs}&grain=${grain}`),
        ctx.api.get<Completeness>(`${base}/completeness?fromMs=${toMs - 30 * DAY_MS}&toMs=${toMs}`),
      ]);
      if (stopped) return;
      for (const chart of charts) chart.destroy();
      chartSlot.replaceChildren();
      charts = siteCharts(chartSlot, series);
      replace(
        completenessSlot,
        h('h2', {}, t('site.completeness')),
        h('div', { class: 'scroll-x' }, completenessTable(completeness)),
      );
    } catch (error) {
      if (!stopped) replace(chartSlot, h('p', { class: 'error' }, t('error.load', { message: errorText(error) })));
    }
  };
  const renderRanges = () =>
    replace(
      rangeBar,
      (Object.keys(RANGES) as RangeName[]).map((name) =>
        h(
          'button',
          {
            type: 'button',
            'aria-pressed': name === range ? 'true' : 'false',
            onclick: () => {
              range = name;
              history.replaceState(null, '', `#/site/${encodeURIComponent(siteId)}?range=${name}`);
              renderRanges();
              void loadSeries();
            },
          },
          t(`site.range.${name}`),
        ),
      ),
    );
  const refresh = coalesce(() => void loadDetail(), 2_000);
  const unsubscribe = ctx.live.subscribe((event) => {
    if (event === null || event.siteId === siteId) refresh.request();
  });
  renderRanges();
  void loadDetail();
  void loadSeries();
  return () => {
    stopped = true;
    refresh.cancel();
    unsubscribe();
    for (const chart of charts) chart.destroy();
  };
};

function renderHead(slot: HTMLElement, detail: SiteDetail): void {
  const { site, health, status } = detail;
  const offline = health?.offline ?? null;
  // The API types a condition loosely; one without its figures is left out rather than drawn wrong.
  const conditions = Object.entries(health?.conditions ?? {}).filter(([, c]) => typeof c?.sinceMs === 'number');
  const revised = offline !== null && offline.firstCause !== null && offline.firstCause !== offline.cause;
  replace(
    slot,
    h('h1', {}, siteName(site), ' ', stateBadge(site.state)),
    h(
      'p',
      { class: 'muted' },
      `${site.siteId} · ${areaText(site)}${site.kecamatanCode === null ? '' : ` (${site.kecamatanCode})`} · ${t('site.group')}: ${tData('group', site.group)}`,
    ),
    h(
      'p',
      { class: 'muted' },
      `${t('col.lastSeen')}: ${formatTime(site.lastSeenMs)}`,
      status === null ? '' : ` · ${t('site.status', { state: status.state })}`,
      status?.agentVersion ? ` · ${t('site.agent', { version: status.agentVersion })}` : '',
      ` · ${t('col.battery')}: ${formatNumber(site.batteryVolts, 1)} · ${t('col.rtt')}: ${formatNumber(site.rttMs)}`,
    ),
    h('h2', {}, t('site.conditions')),
    offline === null && conditions.length === 0 ? h('p', { class: 'muted' }, t('site.noConditions')) : null,
    h(
      'ul',
      { class: 'conditions' },
      offline === null
        ? null
        : h(
            'li',
            { class: 'st-offline-text' },
            t('site.outage', { since: formatTime(offline.onsetMs), cause: tData('cause', offline.cause) }),
            offline.detail ? h('small', {}, tData('detail', offline.detail)) : null,
            revised
              ? h('small', { class: 'revised' }, t('site.firstCause', { cause: tData('cause', offline.firstCause) }))
              : null,
          ),
      conditions.map(([kind, c]) =>
        h(
          'li',
          {},
          h('span', { class: `badge st-${kind}` }, tData('kind', kind)),
          ` ${tData('cause', c.cause)} · ${t('col.since')} ${formatTime(c.sinceMs)}`,
          c.detail ? h('small', {}, tData('detail', c.detail)) : null,
        ),
      ),
    ),
  );
}

/** Newest first; a revised cause shows what was first judged and what later data showed. */
function timeline(history: readonly Transition[]): Node {
  if (history.length === 0) return h('p', { class: 'muted' }, t('site.noHistory'));
  return h(
    'ol',
    { class: 'timeline' },
    history.map((tr) =>
      h(
        'li',
        { class: `ev-${tr.event}` },
        h('time', {}, formatTime(tr.atMs)),
        h('span', { class: `badge st-${tr.kind}` }, tData('kind', tr.kind)),
        h('strong', {}, tData('event', tr.event)),
        tr.event === 'cause_revised'
          ? h('span', {}, t('event.revised', { from: tData('cause', tr.previousCause), to: tData('cause', tr.cause) }))
          : h('span', {}, tData('cause', tr.cause)),
        tr.detail ? h('small', {}, tData('detail', tr.detail)) : null,
      ),
    ),
  );
}

function completenessTable(completeness: Completeness): Node {
  if (completeness.days.length === 0) return h('p', { class: 'muted' }, t('chart.noData'));
  return h(
    'table',
    { class: 'completeness' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [t('col.day'), t('col.expected'), t('col.received'), t('col.missing'), '%'].map((x) => h('th', {}, x)),
      ),
    ),
    h(
      'tbody',
      {},
      completeness.days.map((d) => {
        const pct = d.expected > 0 ? Math.min(100, (100 * d.received) / d.expected) : 0;
        return h(
          'tr',
          {},
          h('td', {}, d.day),
          h('td', { class: 'num' }, d.expected),
          h('td', { class: 'num' }, d.received),
          h('td', { class: 'num' }, d.missing),
          h(
            'td',
            { class: 'bar-cell' },
            h('span', { class: 'bar', style: `width:${pct.toFixed(0)}%` }),
            formatNumber(pct),
          ),
        );
      }),
    ),
  );
}
