// An optimizer by the race's name with a given learning rate. deltaflow compiles names ('momentum',
// 'nesterov', 'amsgrad', …) but exports no name → Optimizer factory, so the lesson's aliases are spelled out.
import * as df from '../../../src/index.js';

export function makeOptimizer(name: string, learningRate: number): df.Optimizer {
  switch (name) {
    case 'gd':
    case 'sgd':
      return df.optimizers.sgd({ learningRate });
    case 'momentum':
      return df.optimizers.sgd({ learningRate, momentum: 0.9 });
    case 'nesterov':
    case 'nag':
      return df.optimizers.sgd({ learningRate, momentum: 0.9, nesterov: true });
    case 'amsgrad':
      return df.optimizers.adam({ learningRate, amsgrad: true });
    default: {
      const make = (df.optimizers as unknown as Record<string, (c: { learningRate: number }) => df.Optimizer>)[name];
      if (typeof make !== 'function') throw new Error(`no optimizer named ${name}`);
      return make({ learningRate });
    }
  }
}
