import { fileURLToPath } from 'node:url';

/**
 * The dashboard's built files (index.html and assets/), made at build time by
 * `collector/scripts/build-dashboard.mjs`. This module is compiled to `dist/dashboard/assets.js`, so
 * the folder is its own: the same path from the sources under vitest resolves to `src/dashboard/`,
 * which holds no build, hence the explicit step up to `dist/`.
 */
export function dashboardAssetDir(): string {
  return fileURLToPath(new URL('../../dist/dashboard/', import.meta.url));
}
