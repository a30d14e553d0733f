// BatchNormalization over the last axis (Keras 3 semantics): training normalizes with the batch's mean
// and biased variance and moves the moving statistics by `momentum` on every applied step; inference
// uses the moving ones. gamma and beta are trained; moving_mean and moving_variance are not.
import { resolveInitializer, type Initializer, type InitializerName } from '../registry/initializers.js';
import { checkReal } from '../numbers.js';
import { LAYER_BATCH_NORM } from '../shared/plan.js';
import { sizeOf, type InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan, type WeightSpec } from './base.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** Options of `df.layers.batchNormalization(config)`. */
export interface BatchNormalizationConfig extends InputConfig {
  /** Only the last axis (-1, the channels). */
  axis?: number;
  /** Default 0.99. */
  momentum?: number;
  /** Default 1e-3. */
  epsilon?: number;
  /** Learn beta (default true). */
  center?: boolean;
  /** Learn gamma (default true). */
  scale?: boolean;
  /** How beta starts (default 'zeros'). */
  betaInitializer?: InitializerName | Initializer;
  /** How gamma starts (default 'ones'). */
  gammaInitializer?: InitializerName | Initializer;
  /** How the moving mean starts (default 'zeros'). */
  movingMeanInitializer?: InitializerName | Initializer;
  /** How the moving variance starts (default 'ones'). */
  movingVarianceInitializer?: InitializerName | Initializer;
  /** The layer's name (default 'batch_normalization', …). */
  name?: string;
}

const OPTIONS: OptionSpec<BatchNormalizationConfig> = {
  known: {
    ...LAYER_OPTIONS, axis: true, momentum: true, epsilon: true, center: true, scale: true,
    betaInitializer: true, gammaInitializer: true, movingMeanInitializer: true, movingVarianceInitializer: true,
  },
  unsupported: {
    ...LAYER_UNSUPPORTED,
    ...Object.fromEntries(['betaConstraint', 'gammaConstraint'].map((k) => [k, { instead: 'constrain the weights yourself after each epoch (a callback with getWeights/setWeights)', harmless: (v: unknown) => v == null }])),
    ...Object.fromEntries(['betaRegularizer', 'gammaRegularizer'].map((k) => [k, { instead: 'regularize the kernels of the dense or conv2d layers instead', harmless: (v: unknown) => v == null }])),
  },
};

/** Normalizes each channel by the batch's statistics while training and by moving averages at inference, then scales (gamma) and shifts (beta). */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly kindName = 'batch_normalization';
  /** The moving averages' momentum. */
  readonly momentum: number;
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether it learns a shift (beta). */
  readonly center: boolean;
  /** Whether it learns a scale (gamma). */
  readonly scale: boolean;
  /** How gamma, beta and the moving statistics start. */
  readonly initializers: { gamma: Initializer; beta: Initializer; movingMean: Initializer; movingVariance: Initializer };

  constructor(config: BatchNormalizationConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error('batchNormalization: expected a config object such as { momentum: 0.99 }');
    config = checkOptions('batchNormalization', config, OPTIONS);
    super('batchNormalization', config);
    if (config.axis !== undefined && config.axis !== -1) throw new Error(`batchNormalization: only axis -1 (the last, channels) is supported, got ${JSON.stringify(config.axis)}`);
    this.momentum = checkReal('batchNormalization: momentum', config.momentum ?? 0.99, { min: 0, max: 1 });
    this.epsilon = checkReal('batchNormalization: epsilon', config.epsilon ?? 1e-3, { above: 0 });
    this.center = config.center ?? true;
    this.scale = config.scale ?? true;
    this.initializers = {
      gamma: resolveInitializer(config.gammaInitializer ?? 'ones'),
      beta: resolveInitializer(config.betaInitializer ?? 'zeros'),
      movingMean: resolveInitializer(config.movingMeanInitializer ?? 'zeros'),
      movingVariance: resolveInitializer(config.movingVarianceInitializer ?? 'ones'),
    };
  }

  computeOutputShape(inShape: number[]): number[] {
    return inShape;
  }

  plan(inShape: number[]): LayerPlan {
    const c = inShape[inShape.length - 1];
    const w = (name: string, initializer: Initializer, trainable: boolean): WeightSpec => ({ name, shape: [c], fanIn: c, fanOut: c, initializer, trainable });
    const weights = [
      ...(this.scale ? [w('gamma', this.initializers.gamma, true)] : []),
      ...(this.center ? [w('beta', this.initializers.beta, true)] : []),
      w('moving_mean', this.initializers.movingMean, false),
      w('moving_variance', this.initializers.movingVariance, false),
    ];
    return layerPlan({
      kind: LAYER_BATCH_NORM,
      inShape,
      outShape: inShape,
      // ε and momentum in the record's two f32 words.
      alpha: this.epsilon,
      rate: this.momentum,
      weights,
      // The batch's mean and variance per channel, then x̂ per row.
      aux: sizeOf(inShape),
      auxFixed: 2 * c,
      scratch: 0,
      args: [c, this.scale ? 1 : 0, this.center ? 1 : 0],
    });
  }
}

/** df.layers.batchNormalization({ momentum, epsilon }). */
export const batchNormalization = (config?: BatchNormalizationConfig) => new BatchNormalization(config);
