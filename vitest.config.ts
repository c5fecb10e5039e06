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
    // Type tests (`*.test-d.ts`): checked by tsc, reported as tests.
    typecheck: { enabled: true, include: ['packages/*/src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
