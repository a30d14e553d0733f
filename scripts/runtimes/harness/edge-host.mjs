// Hosts the edge harness in edge-runtime: compiles the .wasm in the host (as the platform does for
// `?module` imports), evaluates the bundled script with code generation from strings and from WASM bytes
// off, and dispatches the requests in process. Usage: node edge-host.mjs BUNDLE WASM MNIST
import { EdgeRuntime } from 'edge-runtime';
import { readFile } from 'node:fs/promises';

const [bundle, wasmPath, mnistPath] = process.argv.slice(2);
const [code, wasmBytes, mnist] = await Promise.all([readFile(bundle, 'utf8'), readFile(wasmPath), readFile(mnistPath)]);
const modules = {
  'deltaflow.wasm': await WebAssembly.compile(wasmBytes),
  'mnist-1000.bin': mnist.buffer.slice(mnist.byteOffset, mnist.byteOffset + mnist.byteLength),
};
const runtime = new EdgeRuntime({
  codeGeneration: { strings: false, wasm: false },
  extend: (context) => Object.assign(context, { __EDGE_MODULES__: modules }),
});
runtime.evaluate(code);
// Can this VM compile bytes? (It must not: that is what the Workers entry is for.)
const compiles = await runtime.evaluate(`WebAssembly.compile(new Uint8Array([0,97,115,109,1,0,0,0])).then(() => true, () => false)`);
const timed = async (path) => {
  const t0 = performance.now();
  const res = await runtime.dispatchFetch(`http://127.0.0.1${path}`, { signal: AbortSignal.timeout(120_000) });
  const body = await res.json();
  return { status: res.status, body, ms: performance.now() - t0 };
};
const first = await timed('/first');
const all = await timed('/run');
console.log('MATRIX ' + JSON.stringify({ ...all.body, firstMs: first.ms, compilesBytes: compiles, firstStatus: first.status, status: all.status, firstError: first.body.error }));
