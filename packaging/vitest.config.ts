import { defineConfig } from 'vitest/config';

// `pnpm test:pack`: the packaging test, a CI step after `pnpm build` (it packs, so it builds dist itself).
export default defineConfig({
  test: {
    include: ['packaging/pack/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-pack-results.json' },
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
