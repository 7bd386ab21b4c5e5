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
    // Each test waits for its own conditions with its own bounds; these only stop a hung test. On a
    // loaded 2-core machine a busy test can take several times what it takes alone.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // A run's temporary folder and each file's own, removed after them; leftovers fail the run.
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/file-setup.ts'],
    // Integration tests start real servers; two workers match the two cores CI has.
    maxWorkers: 2,
  },
});
