// The single-file build, 'deltaflow/inline' (dist/bundles/deltaflow.inline.js): the .wasm travels inside
// the script (gzip, base64), so a <script type="module"> page or a CDN needs one file. ready() with no
// arguments decompresses (DecompressionStream) and compiles it; { module | bytes | url } still give full control.
// { threads } fetches deltaflow.threads.wasm from next to this file (or takes options.threadsWasm).
// The opt-in relaxed-SIMD build is not inlined: { relaxedSimd: true } fetches deltaflow.relaxed.wasm from
// next to this script (or relaxedSimdWasm), and keeps the inlined module where relaxed SIMD is unsupported.
import { ready as readyFrom, start, type ReadyOptions } from '../wasm/load.js';
import { useRelaxedSimd } from '../wasm/relaxed.js';
import { WASM_GZIP_BASE64 } from './inline-wasm.js';

export * from '../core.js';
export { capabilities } from '../platform.js';
export type { Capabilities } from '../platform.js';

/** Instantiates the inlined module (or the one the options name) once; later calls return the same instance. */
export function ready(options: ReadyOptions = {}): Promise<void> {
  if (options.module || options.bytes || options.url || useRelaxedSimd(options)) return readyFrom(options);
  const inlined = start(async () => WebAssembly.compile(await inlinedBytes()));
  // Threads: the threaded build is not inlined (it is fetched from next to this file, or options.threadsWasm).
  return options.threads === undefined ? inlined : inlined.then(() => readyFrom(options));
}

async function inlinedBytes(): Promise<ArrayBuffer> {
  if (!WASM_GZIP_BASE64) throw new Error("deltaflow/inline: this copy has no inlined module; import 'deltaflow/inline' (dist/bundles/deltaflow.inline.js)");
  if (typeof DecompressionStream !== 'function') {
    throw new Error('deltaflow/inline: this runtime has no DecompressionStream to unpack the inlined module; load the .wasm with df.ready({ url }) instead');
  }
  const binary = atob(WASM_GZIP_BASE64);
  const gz = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) gz[i] = binary.charCodeAt(i);
  return new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
}
