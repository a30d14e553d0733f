// Cloudflare Workers (workerd): deltaflow/workers, the .wasm as a CompiledWasm module and the digits as a
// Data module, bundled the way wrangler bundles a Worker.
import * as df from 'deltaflow/workers';
import wasm from 'deltaflow/deltaflow.wasm';
import mnist from './mnist-1000.bin';
import { handle } from './worker-handler.mjs';

export default {
  fetch: (request) => handle(request, df, wasm, mnist),
};
