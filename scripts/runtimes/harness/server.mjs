// Node, Deno and Bun: deltaflow imported by its package name, as their users do (each resolves the
// `node` export condition to the Node entry). Prints one line: MATRIX {json}.
import * as df from 'deltaflow';
import { readFile } from 'node:fs/promises';
import { firstPrediction, runAll } from './tasks.mjs';

const t0 = performance.now();
await df.ready();
firstPrediction(df);
const firstMs = performance.now() - t0;
const bytes = await readFile(new URL('./mnist-1000.bin', import.meta.url));
const result = await runAll(df, bytes);
// Which entry the runtime resolved 'deltaflow' to: only the Node entry exports registerNodePlatform.
const entry = typeof df.registerNodePlatform === 'function' ? 'node entry' : 'core';
console.log('MATRIX ' + JSON.stringify({ ...result, firstMs, entry }));
