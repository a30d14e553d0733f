// The lesson's optimizer family tree, raced: every optimizer from the same start on an ill-conditioned
// quadratic, Rosenbrock and Beale (through opt.applyGradients), then on the MNIST 784-128-10 network
// for a few epochs with the same seed. Prints a table; writes the 2-D paths and loss curves as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as df from 'deltaflow';
import { loadMnist } from './mnist-data.mjs';

await df.ready();

const problems = {
  quadratic: {
    start: [-4, 1.5],
    steps: 500,
    threshold: 1e-3,
    f: ([x, y]) => 0.5 * (x * x + 25 * y * y),
    grad: ([x, y]) => [x, 25 * y],
  },
  rosenbrock: {
    start: [-1.5, 2],
    steps: 3000,
    threshold: 1e-2,
    f: ([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: ([x, y]) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  },
  beale: {
    start: [1, 1.5],
    steps: 3000,
    threshold: 1e-3,
    f: ([x, y]) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    grad: ([x, y]) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y];
    },
  },
};

// Learning rates per problem: each family's own scale (SGD's is set by the curvature, Adam's by the
// distance to travel). The MNIST run uses Keras's defaults except where noted.
const rates = {
  sgd: { quadratic: 0.035, rosenbrock: 0.001, beale: 0.01, mnist: 0.1 },
  momentum: { quadratic: 0.01, rosenbrock: 0.0002, beale: 0.002, mnist: 0.01 },
  nesterov: { quadratic: 0.01, rosenbrock: 0.0002, beale: 0.002, mnist: 0.01 },
  adagrad: { quadratic: 0.5, rosenbrock: 0.5, beale: 0.5, mnist: 0.05 },
  adadelta: { quadratic: 50, rosenbrock: 20, beale: 20, mnist: 1 },
  rmsprop: { quadratic: 0.01, rosenbrock: 0.01, beale: 0.01, mnist: 0.001 },
  adam: { quadratic: 0.1, rosenbrock: 0.05, beale: 0.05, mnist: 0.001 },
  amsgrad: { quadratic: 0.1, rosenbrock: 0.05, beale: 0.05, mnist: 0.001 },
  adamax: { quadratic: 0.1, rosenbrock: 0.05, beale: 0.05, mnist: 0.002 },
  nadam: { quadratic: 0.1, rosenbrock: 0.05, beale: 0.05, mnist: 0.001 },
  adamw: { quadratic: 0.1, rosenbrock: 0.05, beale: 0.05, mnist: 0.001 },
  lion: { quadratic: 0.02, rosenbrock: 0.005, beale: 0.005, mnist: 0.0001 },
};

function optimizer(name, learningRate) {
  const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
  m.compile({ optimizer: name, loss: 'mse' });
  m.optimizer.learningRate = learningRate;
  return m.optimizer;
}

function race(name, problem, learningRate) {
  const opt = optimizer(name, learningRate);
  const p = new Float32Array(problem.start);
  const path = [[p[0], p[1]]];
  const losses = [problem.f(p)];
  let reached = null;
  for (let step = 1; step <= problem.steps; step++) {
    opt.applyGradients(p, problem.grad(p));
    const loss = problem.f(p);
    path.push([p[0], p[1]]);
    losses.push(loss);
    if (reached === null && loss < problem.threshold) reached = step;
    if (!Number.isFinite(loss)) break;
  }
  return { path, losses, reached, final: losses.at(-1) };
}

const names = df.optimizerNames;
const result = { problems: {}, mnist: {} };
for (const [key, problem] of Object.entries(problems)) {
  result.problems[key] = { start: problem.start, threshold: problem.threshold, runs: {} };
  for (const name of names) result.problems[key].runs[name] = { learningRate: rates[name][key], ...race(name, problem, rates[name][key]) };
}

const { train, test } = loadMnist({ train: 8000, test: 2000 });
const labels = (s) => ({ data: Float32Array.from(s.labels), shape: [s.rows] });
for (const name of names) {
  const model = df.sequential({
    seed: 7,
    layers: [df.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })],
  });
  model.compile({ optimizer: name, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.optimizer.learningRate = rates[name].mnist;
  const h = await model.fit(train.x, labels(train), { epochs: 3, batchSize: 32, verbose: 0, validationData: [test.x, labels(test)] });
  result.mnist[name] = { learningRate: rates[name].mnist, loss: h.history.loss, val_accuracy: h.history.val_accuracy };
}

const cell = (r) => `${(r.reached === null ? '—' : String(r.reached)).padStart(4)} ${r.final.toExponential(1).padStart(8)}`;
console.log('steps to the threshold and final loss; MNIST held-out accuracy after 3 epochs\n');
console.log(`${'optimizer'.padEnd(10)} ${'quadratic'.padEnd(14)} ${'rosenbrock'.padEnd(14)} ${'beale'.padEnd(14)} mnist`);
for (const name of names) {
  const row = Object.keys(problems).map((k) => cell(result.problems[k].runs[name]).padEnd(14));
  console.log(`${name.padEnd(10)} ${row.join(' ')} ${result.mnist[name].val_accuracy.at(-1).toFixed(4)}`);
}
const out = new URL('./out/optimizers.json', import.meta.url);
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(out, JSON.stringify(result));
console.log(`\npaths and loss curves: ${out.pathname}`);
