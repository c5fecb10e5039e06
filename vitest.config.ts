import { defineConfig } from 'vitest/config';

const conditions = ['@loopguard/source', 'import', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@loopguard/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'reliability/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'packaging/test/**/*.test.ts',
    ],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
