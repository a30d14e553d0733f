// The option specs of the model's own entry points (sequential, compile, evaluate, predict), with the
// tfjs and Keras options they do not take and what to do instead.
import type { OptionSpec, Unsupported } from '../options.js';
import type { CompileArgs, SequentialConfig } from './sequential.js';

const unset = (v: unknown) => v === undefined || v === null;
/** verbose: 0 asks for the silence deltaflow keeps anyway. */
const silent: Unsupported = { instead: 'evaluate and predict print nothing; leave verbose out', harmless: (v) => unset(v) || v === 0 };

export const SEQUENTIAL_OPTIONS: OptionSpec<SequentialConfig> = {
  known: { layers: true, seed: true, name: true },
  unsupported: { trainable: { instead: 'every layer is trained; leave trainable out', harmless: (v) => unset(v) || v === true } },
};

export const COMPILE_OPTIONS: OptionSpec<CompileArgs> = {
  known: { optimizer: true, loss: true, metrics: true },
  unsupported: {
    lossWeights: { instead: 'a model has one output and one loss; leave lossWeights out', harmless: unset },
    weightedMetrics: { instead: "fit()'s sampleWeight and classWeight weigh the loss; metrics are unweighted", harmless: unset },
    runEagerly: { instead: 'training always runs as compiled WebAssembly; leave runEagerly out', harmless: (v) => unset(v) || v === false },
    jitCompile: { instead: 'training always runs as compiled WebAssembly; leave jitCompile out', harmless: (v) => unset(v) || v === 'auto' || v === true },
    stepsPerExecution: { instead: 'fit() already runs a whole epoch per call into WebAssembly', harmless: (v) => unset(v) || v === 1 },
  },
};

export const EVALUATE_OPTIONS: OptionSpec<{ batchSize?: number }> = {
  known: { batchSize: true },
  unsupported: {
    verbose: silent,
    sampleWeight: { instead: 'every row weighs the same in evaluate(); weigh rows in fit() with sampleWeight', harmless: unset },
    steps: { instead: 'evaluate() covers every row of x and y; pass fewer rows', harmless: unset },
  },
};

export const PREDICT_OPTIONS: OptionSpec<{ batchSize?: number }> = {
  known: { batchSize: true },
  unsupported: { verbose: silent, steps: { instead: 'predict() covers every row of x; pass fewer rows', harmless: unset } },
};
