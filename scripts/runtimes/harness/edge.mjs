// edge-runtime (Vercel's Edge Runtime VM, compiling WebAssembly from bytes switched off): deltaflow/workers,
// with the precompiled module handed in by the host as Vercel's `?module` imports are.
import * as df from 'deltaflow/workers';
import wasm from 'deltaflow/deltaflow.wasm?module';
import mnist from './mnist-1000.bin?module';
import { handle } from './worker-handler.mjs';

addEventListener('fetch', (event) => event.respondWith(handle(event.request, df, wasm, mnist)));
