// Node, Deno and Bun: deltaflow imported by its package name, as their users do (each resolves the
// `node` export condition to the Node entry). Prints one line: MATRIX {json}. An argument N > 1 trains
// on N threads (df.ready({ threads: N })); the result says how many it got.
import * as df from 'deltaflow';
import { readFile } from 'node:fs/promises';
import { firstPrediction, runAll } from './tasks.mjs';

const threads = Number((globalThis.Deno?.args ?? process.argv.slice(2))[0] ?? 1);
const t0 = performance.now();
await df.ready(threads > 1 ? { threads } : {});
firstPrediction(df);
const firstMs = performance.now() - t0;
const bytes = await readFile(new URL('./mnist-1000.bin', import.meta.url));
const result = { ...(await runAll(df, bytes)), threads: df.getThreads() };
// Which entry the runtime resolved 'deltaflow' to: only the Node entry exports registerNodePlatform.
const entry = typeof df.registerNodePlatform === 'function' ? 'node entry' : 'core';
console.log('MATRIX ' + JSON.stringify({ ...result, firstMs, entry }));
