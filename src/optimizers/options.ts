// The options every optimizer takes (Keras 3's names), and the Keras ones deltaflow does not, for each
// optimizer's option spec (src/options.ts).
import type { OptionSpec, Unsupported } from '../options.js';
import type { OptimizerOptions } from './optimizer.js';

const unset = (v: unknown) => v === undefined || v === null;

const UNSUPPORTED: Readonly<Record<string, Unsupported>> = {
  lr: { instead: "it is Keras 2's old name: write learningRate" },
  decay: { instead: 'use a schedule as the learningRate, e.g. df.optimizers.schedules.inverseTimeDecay({ … })', harmless: (v) => unset(v) || v === 0 },
  useEma: { instead: 'keep an average of the weights yourself in a callback (getWeights after each epoch)', harmless: (v) => unset(v) || v === false },
  emaMomentum: { instead: 'there is no weight averaging (useEma); leave it out', harmless: unset },
  emaOverwriteFrequency: { instead: 'there is no weight averaging (useEma); leave it out', harmless: unset },
  lossScaleFactor: { instead: 'training is float32 throughout; leave it out', harmless: unset },
  gradientAccumulationSteps: { instead: 'use a larger batchSize in fit()', harmless: unset },
  // Keras names optimizer objects; the name changes nothing.
  name: { instead: 'optimizers have no name; leave it out', harmless: (v) => unset(v) || typeof v === 'string' },
};

/** The spec of an optimizer whose config adds `own` to the shared options. */
export function optimizerSpec<T extends OptimizerOptions>(own: Record<Exclude<keyof T, keyof OptimizerOptions> & string, true>): OptionSpec<T> {
  const shared: Record<keyof OptimizerOptions, true> = { learningRate: true, clipnorm: true, clipvalue: true, globalClipnorm: true, weightDecay: true };
  return { known: { ...shared, ...own } as Record<keyof T & string, true>, unsupported: UNSUPPORTED };
}
