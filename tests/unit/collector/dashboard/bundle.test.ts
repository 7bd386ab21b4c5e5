import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardAssetDir } from '@pantau/collector';
import { describe, expect, it } from 'vitest';

/** The built dashboard (pnpm build makes it before the tests run). */
describe('the built dashboard', () => {
  const dir = dashboardAssetDir();
  const html = readFileSync(join(dir, 'index.html'), 'utf8');

  it('names in index.html only assets that were built, by content-hashed names', () => {
    const names = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    const assets = names.filter((n) => n.startsWith('/assets/'));
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\/app-[A-Z0-9]{8}\.(js|css)$/);
      expect(existsSync(join(dir, asset))).toBe(true);
    }
    expect(names.filter((n) => !n.startsWith('/assets/'))).toEqual(['data:,']);
  });

  it('refers to no other host: no CDN, no web font, no map tiles', () => {
    const files = readdirSync(join(dir, 'assets')).filter((f) => /\.(js|css)$/.test(f));
    for (const file of [...files.map((f) => join(dir, 'assets', f)), join(dir, 'index.html')]) {
      const text = readFileSync(file, 'utf8');
      // XML namespaces name a vocabulary; a browser never fetches them.
      const urls = [...text.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)]*/gi)]
        .map((m) => m[0])
        .filter((u) => !/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xhtml)/.test(u));
      expect([file, urls]).toEqual([file, []]);
    }
  });
});
