import { catalogues, dashboardEn, dashboardId, placeholders, siteStates } from '@pantau/collector';
import { describe, expect, it } from 'vitest';

describe('dashboard texts (one catalogue per language)', () => {
  const en: Record<string, string> = dashboardEn;
  const id: Record<string, string> = dashboardId;

  it('have every key in English and in Bahasa Indonesia, with the same placeholders', () => {
    expect(Object.keys(id).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect([key, placeholders(id[key] ?? '')]).toEqual([key, placeholders(en[key] ?? '')]);
      expect(id[key], key).not.toBe('');
    }
  });

  it('name every site state, site group and transition event the API sends', () => {
    const states = siteStates;
    const groups = ['village_office', 'school', 'health_post', 'other'];
    const events = ['began', 'ended', 'cause_revised'];
    const wanted = [
      ...states.map((s) => `state.${s}`),
      ...groups.map((g) => `group.${g}`),
      ...events.map((e) => `event.${e}`),
    ];
    for (const key of wanted) expect(Object.hasOwn(en, key), key).toBe(true);
  });

  it('name a state with the word the alerts use for that kind, in both languages', () => {
    for (const [language, dashboard] of [
      ['en', en],
      ['id', id],
    ] as const) {
      const alerts = catalogues[language] as Record<string, string>;
      for (const kind of ['offline', 'degraded', 'power_at_risk', 'underused', 'data_problem']) {
        expect([language, kind, dashboard[`state.${kind}`]]).toEqual([language, kind, alerts[`kind.${kind}`]]);
      }
    }
  });
});
