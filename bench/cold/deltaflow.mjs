// Cold start: what a user's script does first — import, init, build 784-128-10, predict one digit.
// (DF_SNAPSHOT: the driver's copy of the build, imported by name from there; else this repository's.)
// Prints where the process's time went as JSON: ms since the process started (performance.now()) and
// the minor page faults so far (memory touched for the first time) at its first line, after the import,
// after ready(), after the first predict.
const faults = () => process.resourceUsage().minorPageFault;
const start = performance.now();
const f0 = faults();
const df = await import(process.env.DF_SNAPSHOT ? `${process.env.DF_SNAPSHOT}/entry.mjs` : 'deltaflow');
const imported = performance.now();
const f1 = faults();

await df.ready();
const ready = performance.now();
const f2 = faults();
const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })] });
const p = model.predict({ data: new Float32Array(784).fill(0.5), shape: [1, 784] }).dataSync();
const predicted = performance.now();
const f3 = faults();
if (p.length !== 10) process.exit(1);
// fs.writeSync, not process.stdout: the first touch of process.stdout sets up a stream (~10 ms here).
const { writeSync } = await import('node:fs');
writeSync(1, JSON.stringify({ start, imported, ready, predicted, faults: [f0, f1, f2, f3] }));
