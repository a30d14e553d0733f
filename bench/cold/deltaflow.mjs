// Cold start: what a user's script does first — import, init, build 784-128-10, predict one digit.
// (DF_SNAPSHOT: the driver's copy of the build, imported by name from there; else this repository's.)
// Prints where the process's time went as JSON: ms since the process started (performance.now()) at
// its first line, after the import, after ready(), after the first predict.
const start = performance.now();
const df = await import(process.env.DF_SNAPSHOT ? `${process.env.DF_SNAPSHOT}/entry.mjs` : 'deltaflow');
const imported = performance.now();

await df.ready();
const ready = performance.now();
const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })] });
const p = model.predict({ data: new Float32Array(784).fill(0.5), shape: [1, 784] }).dataSync();
const predicted = performance.now();
if (p.length !== 10) process.exit(1);
// fs.writeSync, not process.stdout: the first touch of process.stdout sets up a stream (~10 ms here).
const { writeSync } = await import('node:fs');
writeSync(1, JSON.stringify({ start, imported, ready, predicted }));
