// npm run examples: every textbook example in turn, then one table of the book's figures beside
// deltaflow's. Each example runs in its own process; those whose data file is absent say so and are
// listed as skipped. Exits 1 if an example fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = [
  'xor.mjs',
  'thoracic-surgery.mjs',
  'pima.mjs',
  'iris.mjs',
  'sonar.mjs',
  'wine.mjs',
  'boston-housing.mjs',
  'house-prices.mjs',
  'mnist.mjs',
  'mnist-cnn.mjs',
  'autoencoder.mjs',
  'sentiment.mjs',
  'sequence.mjs',
];

const dir = mkdtempSync(join(tmpdir(), 'deltaflow-examples-'));
const results = join(dir, 'results.jsonl');
const rows = [];
const failed = [];
const t0 = performance.now();
try {
  for (const name of EXAMPLES) {
    const start = performance.now();
    const run = spawnSync(process.execPath, [fileURLToPath(new URL(name, import.meta.url))], {
      stdio: 'inherit',
      env: { ...process.env, DELTAFLOW_EXAMPLES_RESULTS: results },
    });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0) failed.push(`${name} (exit ${run.status ?? run.signal})`);
    const lines = (() => {
      try {
        return readFileSync(results, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      } catch {
        return [];
      }
    })();
    const fresh = lines.slice(rows.reduce((n, r) => n + r.entries, 0));
    rows.push({ name, seconds, results: fresh, entries: fresh.length, failed: run.status !== 0 });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const table = [['Example', 'Measure', 'Book', 'deltaflow', 'Time']];
for (const r of rows) {
  const time = `${r.seconds.toFixed(1)} s`;
  if (r.failed) table.push([r.name, 'FAILED', '', '', time]);
  else if (r.results.length === 0) table.push([r.name, '(no result)', '', '', time]);
  r.results.forEach((x, i) => {
    if (x.skipped) table.push([x.example, 'skipped: data file absent', '', '', time]);
    else table.push([i === 0 || x.example !== r.results[i - 1].example ? x.example : '', x.measure, x.book, x.deltaflow, i === 0 ? time : '']);
  });
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const line = (row) => row.map((cell, c) => (c === 3 || c === 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
console.log(`\nSummary: the book's figures and deltaflow's (${((performance.now() - t0) / 1000).toFixed(1)} s in all)\n`);
console.log(line(table[0]));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const row of table.slice(1)) console.log(line(row));
if (failed.length) {
  console.error(`\n${failed.length} example(s) failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
