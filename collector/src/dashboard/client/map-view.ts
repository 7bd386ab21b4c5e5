import type { SiteRow } from './contract.js';
import { h, svg } from './dom.js';
import { formatNumber, t, tData } from './i18n.js';
import { KABUPATEN_OUTLINES, type KabupatenOutline } from './kabupaten-outlines.js';
import { fleetView } from './overview-view.js';
import { siteName } from './site-text.js';

/** Paser (64.01) and Kutai Timur (64.08) with a margin: the map's frame unless a site lies outside. */
const HOME = frameOf(KABUPATEN_OUTLINES, 0.15);
const GRID_DEGREES = 0.5;
const WIDTH_PX = 560;

/**
 * Sites drawn by their coordinates over the outlines of the two kabupaten and a graticule
 * (equirectangular, the longitude scaled by the cosine of the middle latitude, which near the
 * equator is almost 1). The outlines are bundled (kabupaten-outlines.ts, docs/dashboard.md).
 */
export function siteMap(sites: readonly SiteRow[]): Node {
  const placed = sites.filter(
    (s): s is SiteRow & { latitude: number; longitude: number } =>
      typeof s.latitude === 'number' && typeof s.longitude === 'number',
  );
  const box = { ...HOME };
  for (const s of placed) {
    box.south = Math.min(box.south, s.latitude - 0.1);
    box.north = Math.max(box.north, s.latitude + 0.1);
    box.west = Math.min(box.west, s.longitude - 0.1);
    box.east = Math.max(box.east, s.longitude + 0.1);
  }
  const xScale = Math.cos((((box.north + box.south) / 2) * Math.PI) / 180);
  const pxPerDegree = WIDTH_PX / ((box.east - box.west) * xScale);
  const heightPx = Math.round((box.north - box.south) * pxPerDegree);
  const x = (lon: number) => (lon - box.west) * xScale * pxPerDegree;
  const y = (lat: number) => (box.north - lat) * pxPerDegree;

  const grid: SVGElement[] = [];
  for (let lon = Math.ceil(box.west / GRID_DEGREES) * GRID_DEGREES; lon <= box.east; lon += GRID_DEGREES) {
    grid.push(svg('line', { x1: x(lon), x2: x(lon), y1: 0, y2: heightPx, class: 'grid' }));
    grid.push(svg('text', { x: x(lon) + 3, y: heightPx - 4, class: 'grid-label' }, `${formatNumber(lon, 1)}°E`));
  }
  for (let lat = Math.ceil(box.south / GRID_DEGREES) * GRID_DEGREES; lat <= box.north; lat += GRID_DEGREES) {
    grid.push(svg('line', { x1: 0, x2: WIDTH_PX, y1: y(lat), y2: y(lat), class: lat === 0 ? 'grid equator' : 'grid' }));
    const label = lat === 0 ? '0°' : `${formatNumber(Math.abs(lat), 1)}°${lat < 0 ? 'S' : 'N'}`;
    grid.push(svg('text', { x: 3, y: y(lat) - 3, class: 'grid-label' }, label));
  }

  const outlines = KABUPATEN_OUTLINES.map((k) => {
    const d = k.rings
      .map((ring) => `M${ring.map(([lon, lat]) => `${x(lon).toFixed(1)},${y(lat).toFixed(1)}`).join('L')}Z`)
      .join('');
    const main = [...k.rings].sort((a, b) => b.length - a.length)[0] ?? [];
    const lons = main.map((p) => p[0]);
    const lats = main.map((p) => p[1]);
    const cx = (Math.min(...lons) + Math.max(...lons)) / 2;
    const cy = (Math.min(...lats) + Math.max(...lats)) / 2;
    return svg(
      'g',
      { 'data-kabupaten': k.code },
      svg('path', { d, class: 'outline' }),
      svg('text', { x: x(cx), y: y(cy), class: 'area-label', 'text-anchor': 'middle' }, k.name),
    );
  });

  // Worst drawn last, so it is on top where sites crowd together.
  const order = [...placed].sort((a, b) => Number(a.needsAction) - Number(b.needsAction));
  const dots = order.map((s) => {
    const link = svg(
      'a',
      { href: `#/site/${encodeURIComponent(s.siteId)}`, 'data-site': s.siteId },
      svg('circle', { cx: x(s.longitude), cy: y(s.latitude), r: s.needsAction ? 7 : 5, class: `dot st-${s.state}` }),
      svg('title', {}, `${siteName(s)} (${s.siteId}): ${tData('state', s.state)}`),
    );
    return link;
  });

  const missing = sites.length - placed.length;
  const urgent = sites.filter((s) => s.needsAction);
  return h(
    'div',
    { class: 'map' },
    h('h2', {}, t('map.title')),
    h(
      'div',
      { class: 'map-layout' },
      svg(
        'svg',
        { viewBox: `0 0 ${WIDTH_PX} ${heightPx}`, role: 'img', 'aria-label': t('map.title'), class: 'map-svg' },
        svg('rect', { x: 0, y: 0, width: WIDTH_PX, height: heightPx, class: 'frame' }),
        outlines,
        grid,
        dots,
      ),
      h(
        'aside',
        { class: 'map-side' },
        h('h3', {}, `${t('overview.needsAction')} (${urgent.length})`),
        h(
          'ul',
          {},
          urgent.map((s) =>
            h(
              'li',
              {},
              h('span', { class: `badge st-${s.state}` }, tData('state', s.state)),
              ' ',
              h('a', { href: `#/site/${encodeURIComponent(s.siteId)}` }, siteName(s)),
            ),
          ),
        ),
      ),
    ),
    h('p', { class: 'muted' }, t('map.note')),
    missing > 0 ? h('p', { class: 'muted' }, t('map.noCoordinates', { count: missing })) : null,
  );
}

export const mapView = fleetView('/map', (sites) => siteMap(sites));

function frameOf(outlines: readonly KabupatenOutline[], marginDegrees: number) {
  const points = outlines.flatMap((k) => k.rings.flat());
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return {
    south: Math.min(...lats) - marginDegrees,
    north: Math.max(...lats) + marginDegrees,
    west: Math.min(...lons) - marginDegrees,
    east: Math.max(...lons) + marginDegrees,
  };
}
