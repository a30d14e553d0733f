// Global setup: the tests that run the built package (bin/deltaflow.mjs, dist/index.js, the bundles, the
// packed tarball) need dist/ in step with src/ and build/*.wasm. What is missing or stale is rebuilt here,
// once, before any test file starts: a test file that rebuilt it would race the ones importing it.
// build/ itself is npm test's pretest (npm run asbuild).
import { ensureBuild } from '../../scripts/ensure-build.mjs';

export default async function setup(): Promise<void> {
  await ensureBuild({ wasm: false, log: (line) => console.warn(line) });
}
