import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  resolve: {
    // In-process tests run the TypeScript sources; spawned programs run the built dist/.
    alias: [{ find: /^@pantau\/(agent|collector|shared)$/, replacement: `${root}$1/src/index.ts` }],
  },
  test: {
    root,
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers; two workers match the two cores CI has.
    maxWorkers: 2,
  },
});
