// The name unions editors complete: every documented spelling of every row is in them (checked by the
// type checker, npm run typecheck), and every spelling they promise resolves at run time.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { activations, type ActivationName } from '../../src/registry/activations.js';
import { initializers, type InitializerName } from '../../src/registry/initializers.js';
import { losses, type LossName } from '../../src/registry/losses.js';
import { resolveMetric, type MetricName } from '../../src/registry/metrics.js';
import type { SnakeCase, Spellings } from '../../src/registry/names.js';
import { optimizerNames, resolveOptimizer, type OptimizerName } from '../../src/optimizers/index.js';

/** The string literals of a union, without the open `string & {}` that keeps other strings legal. */
type Literals<T> = T extends unknown ? (string extends T ? never : T) : never;

/** What SnakeCase does at the type level, at run time. */
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe('SnakeCase and Spellings', () => {
  it('spell camelCase the Keras way and list a row\'s names both ways', () => {
    expectTypeOf<SnakeCase<'sparseCategoricalCrossentropy'>>().toEqualTypeOf<'sparse_categorical_crossentropy'>();
    expectTypeOf<SnakeCase<'relu6'>>().toEqualTypeOf<'relu6'>();
    expectTypeOf<Spellings<{ name: 'huber'; aliases: readonly ['huberLoss'] }>>().toEqualTypeOf<'huber' | 'huberLoss' | 'huber_loss'>();
    expectTypeOf<Spellings<{ name: 'sgd' }>>().toEqualTypeOf<'sgd'>();
    expect(snake('sparseCategoricalCrossentropy')).toBe('sparse_categorical_crossentropy');
  });
});

describe('the unions hold the documented names', () => {
  it('activations, losses, metrics, initializers and optimizers, camelCase, snake_case and aliases', () => {
    expectTypeOf<'leakyRelu' | 'leaky_relu' | 'hard_sigmoid' | 'silu' | 'identity' | 'softmax'>().toExtend<Literals<ActivationName>>();
    expectTypeOf<'relu7'>().not.toExtend<Literals<ActivationName>>();
    expectTypeOf<'binaryCrossentropy' | 'binary_crossentropy' | 'bce' | 'huber_loss' | 'mse' | 'sparse_categorical_crossentropy'>().toExtend<Literals<LossName>>();
    expectTypeOf<'accuracy' | 'acc' | 'sparse_categorical_accuracy' | 'meanSquaredError' | 'mean_absolute_error'>().toExtend<Literals<MetricName>>();
    expectTypeOf<'glorotUniform' | 'glorot_uniform' | 'xavier_normal' | 'random_normal' | 'truncatedNormal' | 'zero'>().toExtend<Literals<InitializerName>>();
    expectTypeOf<'adam' | 'nag' | 'rmsprop' | 'amsgrad' | 'lion'>().toExtend<Literals<OptimizerName>>();
    expectTypeOf<'adamm'>().not.toExtend<Literals<OptimizerName>>();
    // Any other string still type-checks: it is refused at run time with the valid names.
    expectTypeOf<string>().toExtend<ActivationName>();
  });

  it('every spelling the unions promise resolves at run time', () => {
    for (const table of [activations, losses, initializers]) {
      for (const row of table.rows) {
        for (const n of [row.name, ...(row.aliases ?? [])]) {
          expect(table.get(n)).toBe(row);
          expect(table.get(snake(n))).toBe(row);
        }
      }
    }
    const bce = losses.get('bce');
    const metrics: MetricName[] = ['accuracy', 'acc', 'binary_accuracy', 'categoricalAccuracy', 'mse', 'mean_squared_error', 'meanAbsoluteError', 'mae'];
    for (const m of metrics) expect(() => resolveMetric(m, bce, 1)).not.toThrow();
    expect(resolveMetric('sparse_categorical_accuracy', losses.get('scce'), 3).key).toBe('sparse_categorical_accuracy');
    for (const o of [...optimizerNames, 'nag']) expect(resolveOptimizer(o).constructor.name).toMatch(/^[A-Z]/);
    expect(() => activations.get('relu7')).toThrow(/Unknown activation "relu7". Valid activations: linear, sigmoid/);
  });
});
