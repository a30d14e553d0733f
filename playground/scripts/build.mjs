// Builds the playground into playground/dist/: the page and the worker bundled by esbuild (the worker
// imports deltaflow's TypeScript sources), the WASM module, the MNIST digits packed as uint8, the HTML and CSS.
// `node playground/scripts/build.mjs [--minify]`; build() is also used by serve.mjs and the e2e test.
import { execSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { packMnist } from './mnist-pack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..');
export const repo = join(root, '..');
export const dist = join(root, 'dist');

export async function build({ minify = false, quiet = false } = {}) {
  const t0 = performance.now();
  const log = quiet ? () => {} : (s) => console.log(s);
  const wasm = join(repo, 'build', 'deltaflow.wasm');
  if (!existsSync(wasm)) {
    log('playground: build/deltaflow.wasm is missing, running npm run asbuild');
    execSync('npm run asbuild', { cwd: repo, stdio: quiet ? 'ignore' : 'inherit' });
  }
  mkdirSync(dist, { recursive: true });
  await esbuild.build({
    entryPoints: { main: join(root, 'src', 'main.ts'), worker: join(root, 'src', 'worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: dist,
    sourcemap: true,
    minify,
    // deltaflow reads files through node:fs only under Node; the browser bundle never runs that branch.
    external: ['node:*'],
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(root, f), join(dist, f));
  copyFileSync(wasm, join(dist, 'deltaflow.wasm'));
  const mnist = join(dist, 'mnist.u8.gz');
  const sources = [join(here, 'mnist-pack.mjs'), join(repo, 'examples', 'mnist-data.mjs')];
  if (!existsSync(mnist) || sources.some((f) => statSync(mnist).mtimeMs < statSync(f).mtimeMs)) {
    const { train, test, bytes } = packMnist(mnist);
    log(`playground: packed ${train} + ${test} MNIST digits into ${(bytes / 1e6).toFixed(2)} MB`);
  }
  log(`playground: built ${dist} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return dist;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await build({ minify: process.argv.includes('--minify') });
}
