import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Lets the memory tests collect dropped models and check FinalizationRegistry frees their arenas.
    execArgv: ['--expose-gc'],
  },
});
