import type { Overview, SiteState } from './contract.js';
import { STATES } from './contract.js';
import { h } from './dom.js';
import { t, tData } from './i18n.js';

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `badge st-${state}` }, tData('state', state));
}

/** Counts by state, worst first; a count is a button that filters by that state. */
export function countsBar(
  counts: Overview['counts'],
  selected: string,
  onSelect: (state: string) => void,
): HTMLElement {
  const button = (state: SiteState | 'total', count: number) => {
    const value = state === 'total' ? '' : state;
    return h(
      'button',
      {
        type: 'button',
        class: `count st-${state}${selected === value ? ' selected' : ''}`,
        'data-state': state,
        'aria-pressed': selected === value ? 'true' : 'false',
        onclick: () => onSelect(selected === value ? '' : value),
      },
      h('strong', {}, count),
      h('span', {}, t(`state.${state}`)),
    );
  };
  return h(
    'div',
    { class: 'counts', role: 'group' },
    button('total', counts.total),
    STATES.filter((s) => counts[s] > 0 || (s !== 'unregistered' && s !== 'decommissioned')).map((s) =>
      button(s, counts[s] ?? 0),
    ),
  );
}
