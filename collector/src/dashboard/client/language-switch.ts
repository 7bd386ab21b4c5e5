import { h } from './dom.js';
import { currentLanguage, type Language, setLanguage, t } from './i18n.js';

const NAMES: Record<Language, string> = { en: 'English', id: 'Bahasa Indonesia' };

export function languageSwitch(onChange: () => void): HTMLElement {
  const select = h(
    'select',
    {
      name: 'language',
      'aria-label': t('nav.language'),
      onchange: () => {
        setLanguage(select.value === 'id' ? 'id' : 'en');
        onChange();
      },
    },
    (Object.keys(NAMES) as Language[]).map((l) =>
      h('option', { value: l, selected: l === currentLanguage() }, NAMES[l]),
    ),
  );
  return h('label', { class: 'language' }, select);
}
