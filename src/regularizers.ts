// Weight regularizers (Keras's L1L2, tfjs's df.regularizers): a kernel or bias regularizer adds
// l1·Σ|w| + l2·Σw² to the training loss, and l1·sign(w) + 2·l2·w to the weight's gradient, inside the
// training step's one call into WASM (the factors ride in the plan's tensor table).
import { checkReal } from './numbers.js';
import { checkOptions, type OptionSpec } from './options.js';

/** l1·Σ|w| + l2·Σw²; saved as tfjs's { class_name: 'L1L2', config: { l1, l2 } }. */
export class Regularizer {
  /** 'L1L2', tfjs's class name, as saved. */
  readonly className = 'L1L2';
  /** The L1 factor: l1·Σ|w|. */
  readonly l1: number;
  /** The L2 factor: l2·Σw². */
  readonly l2: number;

  constructor(l1: number, l2: number, what = 'l1l2') {
    // Checked as the kernel's f32 too: a factor of 1e39 is infinite there.
    this.l1 = checkReal(`${what}: l1`, l1, { min: 0 });
    this.l2 = checkReal(`${what}: l2`, l2, { min: 0 });
  }

  /** Its factors, as tfjs's config { l1, l2 }. */
  getConfig(): { l1: number; l2: number } {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** A regularizer object, or the names 'l1', 'l2', 'l1l2' (factors 0.01, as tfjs's and Keras's defaults). */
export type RegularizerIdentifier = Regularizer | 'l1' | 'l2' | 'l1l2';

// tfjs's defaults: 0.01 for every factor a factory is given no value for (Keras 3's L1L2 defaults to 0).
const DEFAULT = 0.01;

const both = { instead: 'for both penalties use df.regularizers.l1l2({ l1, l2 })', harmless: (v: unknown) => v === undefined || v === 0 };
const L1_OPTIONS: OptionSpec<{ l1?: number }> = { known: { l1: true }, unsupported: { l2: both } };
const L2_OPTIONS: OptionSpec<{ l2?: number }> = { known: { l2: true }, unsupported: { l1: both } };
const L1L2_OPTIONS: OptionSpec<{ l1?: number; l2?: number }> = { known: { l1: true, l2: true } };

/** df.regularizers.l1({ l1: 0.01 }): penalty l1·Σ|w|. */
export function l1(config?: { l1?: number }): Regularizer {
  return new Regularizer(checkOptions('l1', config, L1_OPTIONS).l1 ?? DEFAULT, 0, 'l1');
}

/** df.regularizers.l2({ l2: 0.01 }): penalty l2·Σw². */
export function l2(config?: { l2?: number }): Regularizer {
  return new Regularizer(0, checkOptions('l2', config, L2_OPTIONS).l2 ?? DEFAULT, 'l2');
}

/** df.regularizers.l1l2({ l1: 0.01, l2: 0.01 }): penalty l1·Σ|w| + l2·Σw². */
export function l1l2(config?: { l1?: number; l2?: number }): Regularizer {
  const c = checkOptions('l1l2', config, L1L2_OPTIONS);
  return new Regularizer(c.l1 ?? DEFAULT, c.l2 ?? DEFAULT, 'l1l2');
}

/** Regularizer factories, tfjs's names: df.regularizers.l2({ l2: 1e-4 }). */
export const regularizers = { l1, l2, l1l2 };

const BY_NAME: Record<string, () => Regularizer> = { l1: () => l1(), l2: () => l2(), l1l2: () => l1l2(), l1_l2: () => l1l2() };

/** The regularizer a layer option names (undefined for none); `what` ('dense: kernelRegularizer') names it in errors. */
export function resolveRegularizer(what: string, spec: unknown): Regularizer | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (spec instanceof Regularizer) return spec;
  if (typeof spec === 'string' && Object.prototype.hasOwnProperty.call(BY_NAME, spec)) return BY_NAME[spec]();
  const shown = typeof spec === 'string' ? `'${spec}'` : typeof spec;
  throw new Error(`${what} must be df.regularizers.l1({ l1 }), l2({ l2 }), l1l2({ l1, l2 }) or one of 'l1', 'l2', 'l1l2', got ${shown}`);
}
