// The options every layer takes (its input and name) and the tfjs LayerArgs it does not, for each
// layer's option spec (src/options.ts).
import type { Unsupported } from '../options.js';

/** What every layer config may declare: InputConfig and a name. */
export const LAYER_OPTIONS = { inputShape: true, inputDim: true, batchInputShape: true, name: true } as const;

const unset = (v: unknown) => v === undefined || v === null;

/** tfjs's LayerArgs and the weight options of its layers that deltaflow has no use for or no support of. */
export const LAYER_UNSUPPORTED: Readonly<Record<string, Unsupported>> = {
  batchSize: { instead: "the batch size is fit()'s, evaluate()'s or predict()'s batchSize; give the layer an inputShape", harmless: unset },
  dtype: { instead: "layers compute in float32; leave dtype out", harmless: (v) => unset(v) || v === 'float32' },
  inputDType: { instead: "inputs are float32; leave inputDType out", harmless: (v) => unset(v) || v === 'float32' },
  trainable: { instead: 'every layer is trained (frozen layers are not supported); leave trainable out', harmless: (v) => unset(v) || v === true },
  weights: { instead: 'set initial weights after building with model.setWeights([...])', harmless: unset },
  kernelConstraint: { instead: 'constrain the kernel yourself after each epoch (a callback with getWeights/setWeights)', harmless: unset },
  biasConstraint: { instead: 'constrain the bias yourself after each epoch (a callback with getWeights/setWeights)', harmless: unset },
  activityRegularizer: { instead: 'regularize the weights with kernelRegularizer or biasRegularizer', harmless: unset },
};
