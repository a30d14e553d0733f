// Cold start: what a user's script does first — import, init, build 784-128-10, predict one digit.
// (DF_SNAPSHOT: the driver's copy of the build, imported by name from there; else this repository's.)
const df = await import(process.env.DF_SNAPSHOT ? `${process.env.DF_SNAPSHOT}/entry.mjs` : 'deltaflow');

await df.ready();
const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })] });
const p = model.predict({ data: new Float32Array(784).fill(0.5), shape: [1, 784] }).dataSync();
if (p.length !== 10) process.exit(1);
