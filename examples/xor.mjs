// XOR (book ch. 7 "다층 퍼셉트론", appendix "신경망 구현"): a single perceptron cannot draw XOR's line;
// the book first hand-sets a two-layer network (NAND and OR gates feeding an AND gate), then learns it
// with backpropagation. Here: the hand-set network, then a 2-4-1 network learned from random weights
// (with only the two hidden units of the hand-set network, gradient descent often stalls in a local
// minimum that gets 2 or 3 of the 4 rows right; four hidden units find XOR from any seed).
import { compare, describe, df, seconds, title } from './lib/book.mjs';

await df.ready();
const EXAMPLE = 'XOR';
const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];
title(`${EXAMPLE}: the book's hand-set perceptrons, then ${describe(2, [4, 'tanh'], [1, 'sigmoid'])} learned by backpropagation`);

// The book's gates: NAND w = (−2, −2), b = 3; OR w = (2, 2), b = −1; AND w = (1, 1), b = −1; a step activation.
const step = (v) => (v > 0 ? 1 : 0);
const gate = (w, b) => (a, c) => step(w[0] * a + w[1] * c + b);
const nand = gate([-2, -2], 3);
const or = gate([2, 2], -1);
const and = gate([1, 1], -1);
const handSet = x.map(([a, b]) => and(nand(a, b), or(a, b)));
console.log(`  hand-set weights:  ${x.map(([a, b], i) => `${a} XOR ${b} = ${handSet[i]}`).join(', ')}`);

// Two layers from glorot_uniform weights, trained with Adam on the four rows.
const model = df.sequential({
  seed: 1,
  layers: [df.layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
});
model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
const h = await model.fit(x, y, { epochs: 500, batchSize: 4, verbose: 0 });
const p = model.predict(x).dataSync();
console.log(`  learned weights:   ${x.map(([a, b], i) => `${a} XOR ${b} = ${p[i].toFixed(3)}`).join(', ')}`);
console.log(`  500 epochs in ${seconds(t0)}; loss ${h.history.loss[0].toFixed(4)} → ${h.history.loss.at(-1).toFixed(4)}`);
compare({ example: EXAMPLE, measure: 'truth-table accuracy', book: 1, bookText: '1.0000 (hand-set)', deltaflow: model.evaluate(x, y).accuracy });
