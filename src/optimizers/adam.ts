// Adam and AMSGrad, Keras 3 (ε-hat form): the facade carries α_t = lr·√(1−β2ᵗ)/(1−β1ᵗ) per step.
import { OPT_ADAM } from '../shared/ids.js';
import { S_LR } from '../shared/plan.js';
import { Optimizer, checkEpsilon, checkUnitInterval } from './optimizer.js';

export interface AdamConfig {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

export class Adam extends Optimizer {
  readonly id = OPT_ADAM;
  readonly name = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  // βᵗ by repeated multiplication (exactly rounded everywhere, unlike Math.pow).
  private powT = 0;
  private beta1Power = 1;
  private beta2Power = 1;

  constructor(config: AdamConfig = {}) {
    super(config.learningRate ?? 0.001);
    this.beta1 = checkUnitInterval('beta1', config.beta1 ?? 0.9);
    this.beta2 = checkUnitInterval('beta2', config.beta2 ?? 0.999);
    this.epsilon = checkEpsilon(config.epsilon ?? 1e-7);
    this.amsgrad = config.amsgrad ?? false;
  }

  get slots(): number {
    return this.amsgrad ? 3 : 2;
  }

  constants() {
    return { hp: [this.beta1, this.beta2, this.epsilon], flags: this.amsgrad ? 2 : 0 };
  }

  override stepScalars(t: number, out: Float32Array): void {
    if (t !== this.powT + 1) {
      this.powT = 0;
      this.beta1Power = this.beta2Power = 1;
    }
    while (this.powT < t) {
      this.beta1Power *= this.beta1;
      this.beta2Power *= this.beta2;
      this.powT++;
    }
    out[S_LR] = (this.learningRate * Math.sqrt(1 - this.beta2Power)) / (1 - this.beta1Power);
  }

  getConfig() {
    return {
      name: this.name,
      learning_rate: this.learningRate,
      beta_1: this.beta1,
      beta_2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}
