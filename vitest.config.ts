import { configDefaults, defineConfig } from 'vitest/config';

// *.relaxed.test.ts need WebAssembly relaxed SIMD, which Node before 22 only has behind a V8 flag: they run
// in their own project whose workers get it. Every other test runs without it, as a user's Node 20 does.
const RELAXED = 'test/**/*.relaxed.test.ts';
const relaxedFlag = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-wasm-relaxed-simd'] : [];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Lets the memory tests collect dropped models and check FinalizationRegistry frees their arenas.
    execArgv: ['--expose-gc'],
    projects: [
      // test/setup/dist.ts builds dist/ (for the tests that spawn bin/deltaflow.mjs) when it is missing or stale.
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, RELAXED], globalSetup: ['test/setup/dist.ts'] } },
      { extends: true, test: { name: 'relaxed-simd', include: [RELAXED], execArgv: relaxedFlag } },
    ],
  },
});
