#!/usr/bin/env node
// A larger seeded fuzz campaign for the model loader (the same mutator as test/io/fuzz.test.ts).
//   node scripts/fuzz-io.mjs [count=100000] [seed=1] [from=0]
// Runs cases [from, from + count) of campaign `seed`; a failure prints its seed and case number, and
// `node scripts/fuzz-io.mjs 1 <seed> <case>` replays it alone. src/ is bundled with esbuild on the
// fly, so no build step is needed; the WASM kernels come from build/deltaflow.wasm (npm run asbuild).
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [count = 100_000, seed = 1, from = 0] = process.argv.slice(2).map(Number);
if (![count, seed, from].every(Number.isInteger)) {
  console.error('usage: node scripts/fuzz-io.mjs [count] [seed] [from]');
  process.exit(2);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(tmpdir(), `deltaflow-fuzz-io-${process.pid}.mjs`);
await build({
  stdin: {
    contents: "export * as df from './src/index.ts'; export { getRuntime } from './src/wasm/load.ts'; export { runCampaign } from './test/io/fuzz-core.mjs';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  logLevel: 'error',
});
try {
  const { df, getRuntime, runCampaign } = await import(pathToFileURL(bundle).href);
  await df.ready({ bytes: await readFile(join(root, 'build', 'deltaflow.wasm')) });
  const memory = () => getRuntime().heap.memoryBytes + process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  console.log(`fuzz-io: cases ${from}…${from + count - 1} of campaign ${seed}`);
  const result = await runCampaign(df, {
    seed,
    from,
    to: from + count,
    memory,
    onProgress: (done, c) => {
      const s = (performance.now() - t0) / 1000;
      process.stdout.write(`  ${done} cases, ${c.loaded} loaded, ${c.rejected} rejected, ${(done / s).toFixed(0)}/s\r`);
    },
  });
  const { counts, failures, slowest, messages } = result;
  console.log(`\n${counts.loaded} loaded and predicted, ${counts.rejected} refused with ModelFormatError; slowest case ${slowest.toFixed(1)} ms; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${messages.size} distinct rejections; the most frequent:`);
  for (const [m, n] of [...messages].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${String(n).padStart(7)}  ${m}`);
  if (failures.length) {
    console.log(`\n${failures.length} FAILURES:`);
    for (const f of failures) console.log(`  seed ${f.seed} case ${f.case} (${f.base}): ${f.error}\n    replay: node scripts/fuzz-io.mjs 1 ${f.seed} ${f.case}`);
    process.exitCode = 1;
  } else console.log('no failures');
} finally {
  await rm(bundle, { force: true });
}
