import { catalogues, placeholders, render } from '@pantau/collector';
import { describe, expect, it } from 'vitest';

describe('alert and report texts (one catalogue per language)', () => {
  const en = catalogues.en as Record<string, string>;
  const id = catalogues.id as Record<string, string>;

  it('have every key in English and in Bahasa Indonesia, with the same placeholders', () => {
    expect(Object.keys(id).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect([key, placeholders(id[key] ?? '')]).toEqual([key, placeholders(en[key] ?? '')]);
      expect(id[key], key).not.toBe('');
    }
  });

  it('fill placeholders, and show a missing value as ? rather than breaking', () => {
    expect(
      render('id', 'degraded.firing', {
        site: 'Desa A (kutim-a)',
        since: '2026-11-23 02:10 WITA',
        cause: 'latensi tinggi',
        badPct: 70,
      }),
    ).toBe('Desa A (kutim-a) menurun sejak 2026-11-23 02:10 WITA: latensi tinggi pada 70 % sampel');
    expect(render('en', 'data_problem.firing', {})).toBe('? data problem: ?');
  });
});
