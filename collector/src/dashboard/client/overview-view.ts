import { errorText } from './api.js';
import type { View } from './app-context.js';
import type { Overview, SiteRow } from './contract.js';
import { h, replace } from './dom.js';
import { type Filters, filterBar, filterQuery, readFilters, writeFilters } from './filters.js';
import { formatBytes, formatDuration, formatNumber, formatTime, t, tData } from './i18n.js';
import { coalesce } from './live.js';
import { areaText, siteName } from './site-text.js';
import { countsBar, stateBadge } from './state-badge.js';

/**
 * The fleet at a glance: counts by state, the filters, and every matching site, those needing
 * action first (the server's order). `renderBody` draws the sites; the map view reuses the rest.
 */
export function fleetView(path: string, renderBody: (sites: readonly SiteRow[], nowMs: number) => Node): View {
  return (container, ctx, route) => {
    let filters: Filters = readFilters(route.query);
    const bar = h('div', { class: 'filter-slot' });
    const counts = h('div', { class: 'counts-slot' });
    const body = h('div', { class: 'fleet-body' });
    const footer = h('p', { class: 'muted updated' });
    replace(container, counts, bar, body, footer);
    let stopped = false;
    let barBuilt = false;

    const load = async () => {
      try {
        const overview = await ctx.api.get<Overview>(`/api/overview?${filterQuery(filters)}`);
        if (stopped) return;
        if (!barBuilt) {
          barBuilt = true;
          replace(bar, filterBar(overview.areas, filters, change));
        }
        replace(
          counts,
          countsBar(overview.counts, filters.state, (state) => change({ ...filters, state })),
        );
        replace(body, renderBody(overview.sites, ctx.nowMs()));
        footer.textContent = `${t('overview.shown', { count: overview.sites.length })} · ${t('overview.updated', { at: formatTime(overview.generatedAtMs) })}`;
        if (container.dataset.loaded !== 'true') performance.mark('pantau:first-render');
        container.dataset.loaded = 'true';
      } catch (error) {
        if (!stopped) replace(body, h('p', { class: 'error' }, t('error.load', { message: errorText(error) })));
      }
    };
    const change = (next: Filters) => {
      filters = next;
      writeFilters(path, filters);
      void load();
    };
    const refresh = coalesce(() => void load(), 2_000);
    const unsubscribe = ctx.live.subscribe(() => refresh.request());
    void load();
    return () => {
      stopped = true;
      refresh.cancel();
      unsubscribe();
    };
  };
}

export const overviewView: View = fleetView('/', siteTable);

function siteTable(sites: readonly SiteRow[], nowMs: number): Node {
  if (sites.length === 0) return h('p', { class: 'muted' }, t('overview.none'));
  const head = [
    t('col.state'),
    t('col.site'),
    t('col.area'),
    t('col.cause'),
    t('col.since'),
    t('col.lastSeen'),
    t('col.battery'),
    t('col.rtt'),
    t('col.clients'),
    t('col.usage'),
  ];
  return h(
    'table',
    { class: 'sites' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((text) => h('th', { scope: 'col' }, text)),
      ),
    ),
    h(
      'tbody',
      {},
      sites.map((site) => siteRow(site, nowMs)),
    ),
  );
}

function siteRow(site: SiteRow, nowMs: number): HTMLElement {
  const href = `#/site/${encodeURIComponent(site.siteId)}`;
  const kinds = site.kinds.filter((k) => k !== site.state).map((k) => tData('kind', k));
  return h(
    'tr',
    { class: site.needsAction ? 'needs-action' : '', 'data-site': site.siteId },
    h(
      'td',
      { 'data-label': t('col.state') },
      stateBadge(site.state),
      site.needsAction ? h('span', { class: 'action-flag', title: t('overview.needsAction') }, '!') : null,
      kinds.length > 0 ? h('small', { class: 'kinds' }, ` + ${kinds.join(', ')}`) : null,
    ),
    h('td', { class: 'site-cell' }, h('a', { href }, siteName(site)), h('small', {}, site.siteId)),
    h('td', { 'data-label': t('col.area') }, areaText(site)),
    h('td', { 'data-label': t('col.cause') }, site.state === 'online' ? '' : tData('cause', site.cause)),
    h(
      'td',
      { 'data-label': t('col.since'), title: formatTime(site.sinceMs) },
      site.sinceMs === null || site.state === 'online' ? '' : formatDuration(nowMs - site.sinceMs),
    ),
    h('td', { 'data-label': t('col.lastSeen'), class: 'wide-only' }, formatTime(site.lastSeenMs)),
    h('td', { 'data-label': t('col.battery'), class: 'num' }, formatNumber(site.batteryVolts, 1)),
    h('td', { 'data-label': t('col.rtt'), class: 'num' }, formatNumber(site.rttMs)),
    h('td', { 'data-label': t('col.clients'), class: 'num' }, formatNumber(site.clients24h)),
    h(
      'td',
      { 'data-label': t('col.usage'), class: 'num wide-only' },
      `↓${formatBytes(site.down24hBytes)} ↑${formatBytes(site.up24hBytes)}`,
    ),
  );
}
