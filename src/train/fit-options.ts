// fit()'s options, and the tfjs and Keras ones it does not take with what to do instead.
import type { OptionSpec } from '../options.js';
import type { FitArgs } from './fit.js';

const unset = (v: unknown) => v === undefined || v === null;
const allRows = 'fit() trains on arrays in memory, every epoch over all of their rows; pass fewer rows for shorter epochs';

export const FIT_OPTIONS: OptionSpec<FitArgs> = {
  known: {
    epochs: true, batchSize: true, shuffle: true, validationSplit: true, validationData: true, verbose: true, callbacks: true,
    seed: true, sampleWeight: true, classWeight: true, initialEpoch: true, yieldEvery: true,
  },
  unsupported: {
    stepsPerEpoch: { instead: allRows, harmless: unset },
    validationSteps: { instead: 'validation covers every row of validationData', harmless: unset },
    validationBatchSize: { instead: 'validation runs in batches of batchSize', harmless: unset },
    validationFreq: { instead: 'validation runs after every epoch', harmless: (v) => unset(v) || v === 1 },
  },
};
