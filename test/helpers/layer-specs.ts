// The df.layers layer for each float64 reference spec (test/ref/images.ts): shared by the image tests.
import * as df from '../../src/index.js';
import type { LayerSpec } from '../ref/images.js';

/** The df.layers layer for a reference spec; the first one declares the input shape. */
/** Dropout is not in the reference (its masks are random); the property suite generates it too. */
export type SpecOrDropout = LayerSpec | { kind: 'dropout'; rate: number };

export function toLayer(s: SpecOrDropout, inputShape?: number[]): df.Layer {
  const input = inputShape ? { inputShape } : {};
  switch (s.kind) {
    case 'conv2d':
      return df.layers.conv2d({ filters: s.filters, kernelSize: s.kernel, strides: s.strides, dilationRate: s.dilation, padding: s.padding, activation: s.activation, useBias: s.useBias, ...input });
    case 'dense':
      return df.layers.dense({ units: s.units, activation: s.activation, useBias: s.useBias, ...input });
    case 'maxPooling2d':
      return df.layers.maxPooling2d({ poolSize: s.pool, strides: s.strides, padding: s.padding, ...input });
    case 'averagePooling2d':
      return df.layers.averagePooling2d({ poolSize: s.pool, strides: s.strides, padding: s.padding, ...input });
    case 'globalAveragePooling2d':
      return df.layers.globalAveragePooling2d(input);
    case 'globalMaxPooling2d':
      return df.layers.globalMaxPooling2d(input);
    case 'flatten':
      return df.layers.flatten(input);
    case 'reshape':
      return df.layers.reshape({ targetShape: s.targetShape, ...input });
    case 'upSampling2d':
      return df.layers.upSampling2d({ size: s.size, ...input });
    case 'zeroPadding2d':
      return df.layers.zeroPadding2d({ padding: s.padding, ...input });
    case 'batchNormalization':
      return df.layers.batchNormalization({ epsilon: s.epsilon, momentum: s.momentum, center: s.center, scale: s.scale, ...input });
    case 'leakyReLU':
      return df.layers.leakyReLU({ alpha: s.alpha, ...input });
    case 'activation':
      return df.layers.activation({ activation: s.activation, ...input });
    case 'dropout':
      return df.layers.dropout({ rate: s.rate, ...input });
  }
}
