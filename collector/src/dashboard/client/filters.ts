import type { Area } from './contract.js';
import { GROUPS } from './contract.js';
import { h } from './dom.js';
import { t, tData } from './i18n.js';

export interface Filters {
  readonly kabupaten: string;
  readonly kecamatan: string;
  readonly group: string;
  readonly q: string;
  readonly state: string;
}
const NAMES = ['kabupaten', 'kecamatan', 'group', 'q', 'state'] as const;

/** The filters live in the address (`#/map?kabupaten=64.08`), so a wall screen's URL keeps its view. */
export function readFilters(query: URLSearchParams): Filters {
  const value = (name: (typeof NAMES)[number]) => query.get(name) ?? '';
  return {
    kabupaten: value('kabupaten'),
    kecamatan: value('kecamatan'),
    group: value('group'),
    q: value('q'),
    state: value('state'),
  };
}

export function filterQuery(filters: Filters): string {
  const query = new URLSearchParams();
  for (const name of NAMES) if (filters[name] !== '') query.set(name, filters[name]);
  return query.toString();
}

export function writeFilters(path: string, filters: Filters): void {
  const query = filterQuery(filters);
  history.replaceState(null, '', `#${path}${query === '' ? '' : `?${query}`}`);
}

/** Kabupaten, kecamatan, site group and search; `onChange` gets the whole new set. */
export function filterBar(areas: readonly Area[], filters: Filters, onChange: (next: Filters) => void): HTMLElement {
  let current = filters;
  const update = (patch: Partial<Filters>) => {
    current = { ...current, ...patch };
    onChange(current);
  };
  const option = (value: string, label: string, selected: boolean) => h('option', { value, selected }, label);
  const kecamatanSelect = h('select', {
    name: 'kecamatan',
    onchange: () => update({ kecamatan: kecamatanSelect.value }),
  });
  const fillKecamatan = () => {
    const list = areas
      .filter((a) => current.kabupaten === '' || a.kabupatenCode === current.kabupaten)
      .flatMap((a) => a.kecamatan);
    kecamatanSelect.replaceChildren(
      option('', t('filter.all'), current.kecamatan === ''),
      ...list.map((k) => option(k.code, `${k.name} (${k.code})`, k.code === current.kecamatan)),
    );
  };
  fillKecamatan();
  const kabupatenSelect = h(
    'select',
    {
      name: 'kabupaten',
      onchange: () => {
        update({ kabupaten: kabupatenSelect.value, kecamatan: '' });
        fillKecamatan();
      },
    },
    option('', t('filter.all'), current.kabupaten === ''),
    areas.map((a) =>
      option(a.kabupatenCode, `${a.kabupaten} (${a.kabupatenCode})`, a.kabupatenCode === current.kabupaten),
    ),
  );
  const groupSelect = h(
    'select',
    { name: 'group', onchange: () => update({ group: groupSelect.value }) },
    option('', t('filter.all'), current.group === ''),
    GROUPS.map((g) => option(g, tData('group', g), g === current.group)),
  );
  let searchTimer: ReturnType<typeof setTimeout> | null = null;
  const search = h('input', {
    type: 'search',
    name: 'q',
    value: current.q,
    placeholder: t('filter.searchHint'),
    oninput: () => {
      if (searchTimer !== null) clearTimeout(searchTimer);
      searchTimer = setTimeout(() => update({ q: search.value.trim() }), 300);
    },
  });
  const label = (text: string, control: HTMLElement) => h('label', {}, h('span', {}, text), control);
  return h(
    'form',
    { class: 'filters', onsubmit: (e) => e.preventDefault() },
    label(t('filter.kabupaten'), kabupatenSelect),
    label(t('filter.kecamatan'), kecamatanSelect),
    label(t('filter.group'), groupSelect),
    label(t('filter.search'), search),
  );
}
