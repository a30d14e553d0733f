// Losses and metrics written in JS over Float32Arrays. WASM runs the forward pass, JS the function, WASM
// the backward pass and step: every value a function returns is checked before it can reach a weight.
import * as ids from '../shared/ids.js';

/**
 * A loss written in JS. Rows are row-major: yPred is rows × cols, yTrue the same (targets of the
 * output's width). deltaflow has no autodiff over JS, so the gradient is part of the loss.
 */
export interface LossFunction {
  /** How logs, errors and save()'s training config name it. */
  name: string;
  /** Each row's loss (Keras's per-sample loss): fit weighs (sampleWeight) and averages them. */
  fn(yTrue: Float32Array, yPred: Float32Array, rows: number, cols: number): ArrayLike<number>;
  /** ∂loss_r/∂yPred[r, c] for every row, rows × cols: the gradient of each row's own loss, not averaged. */
  grad(yTrue: Float32Array, yPred: Float32Array, rows: number, cols: number): ArrayLike<number>;
}

/**
 * A metric written in JS, logged under its function's name (as tfjs does): each row's value (averaged
 * over the epoch's rows), or one number, the batch's mean.
 */
export type MetricFunction = (yTrue: Float32Array, yPred: Float32Array, rows: number, cols: number) => ArrayLike<number> | number;

const LOSS_SHAPE = '{ name, fn(yTrue, yPred, rows, cols) → one loss per row, grad(yTrue, yPred, rows, cols) → ∂loss_row/∂yPred (rows × cols) }';

/** Checks a compile() loss that is not a name; returns it as a LossFunction or throws saying what it must be. */
export function checkLossFunction(loss: unknown): LossFunction {
  if (typeof loss === 'function') {
    // tfjs's (yTrue: Tensor, yPred: Tensor) => Scalar has no tensors to run on here, and no gradient.
    throw new Error(
      `compile: loss is a function (${loss.name || 'anonymous'}, ${loss.length} arguments), like tfjs's (yTrue: Tensor, yPred: Tensor) => Scalar; ` +
        `deltaflow runs losses over Float32Arrays and has no autodiff for JS, so a custom loss is an object ${LOSS_SHAPE}`,
    );
  }
  const l = loss as Partial<LossFunction>;
  if (typeof l.name !== 'string' || l.name === '') throw new Error(`compile: a custom loss needs a name (a non-empty string): ${LOSS_SHAPE}`);
  if (typeof l.fn !== 'function') throw new Error(`compile: custom loss '${l.name}' has no fn(yTrue, yPred, rows, cols) returning one loss per row`);
  if (typeof l.grad !== 'function') {
    throw new Error(
      `compile: custom loss '${l.name}' has no grad(yTrue, yPred, rows, cols): deltaflow does not differentiate JS code, and finite ` +
        'differences over float32 inputs would train on a gradient accurate to a few digits; write the derivative of each row’s loss',
    );
  }
  return l as LossFunction;
}

/** A compile() metric that is a function: its name, or an error asking for one. */
export function checkMetricFunction(fn: MetricFunction): string {
  if (!fn.name) throw new Error('compile: a metric function needs a name, which logs and History use (e.g. function myMetric(yTrue, yPred, rows, cols) { … })');
  return fn.name;
}

/** Calls a user function, naming it in anything it throws. */
function call<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Error(`${what} threw: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function checkValues(what: string, v: unknown, length: number, unit: string): ArrayLike<number> {
  const a = v as ArrayLike<number>;
  if (v === null || typeof v !== 'object' || typeof a.length !== 'number') throw new Error(`${what} returned ${v === null ? 'null' : typeof v}; it must return ${length} ${unit}`);
  if (a.length !== length) throw new Error(`${what} returned ${a.length} values; it must return ${length} ${unit}`);
  for (let i = 0; i < length; i++) {
    if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) throw new Error(`${what} returned ${a[i]} at index ${i}; every value must be a finite number`);
  }
  return a;
}

/**
 * The batch's loss, Σ w_r·loss_r / rows (w = 1 without weights, as the loss kernels), and its gradient
 * ∂/∂yPred, w_r·grad_r / rows, as float32 ready for the last layer's delta. Nothing is returned on error.
 */
export function lossAndGradient(loss: LossFunction, yTrue: Float32Array, yPred: Float32Array, rows: number, cols: number, w: Float32Array | undefined): { value: number; grad: Float32Array } {
  const value = lossValue(loss, yTrue, yPred, rows, cols, w);
  const g = checkValues(`loss '${loss.name}': grad`, call(`loss '${loss.name}': grad`, () => loss.grad(yTrue.slice(), yPred.slice(), rows, cols)), rows * cols, `values (rows × cols = ${rows} × ${cols})`);
  const grad = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const scale = (w ? w[r] : 1) / rows;
    for (let c = 0, i = r * cols; c < cols; c++, i++) grad[i] = g[i] * scale;
  }
  for (let i = 0; i < grad.length; i++) {
    if (!Number.isFinite(grad[i])) throw new Error(`loss '${loss.name}': grad[${i}] = ${g[i]} overflows float32 once scaled`);
  }
  return { value, grad };
}

/** The batch's loss alone, Σ w_r·loss_r / rows (evaluate needs no gradient). */
export function lossValue(loss: LossFunction, yTrue: Float32Array, yPred: Float32Array, rows: number, cols: number, w: Float32Array | undefined): number {
  const perRow = checkValues(`loss '${loss.name}': fn`, call(`loss '${loss.name}': fn`, () => loss.fn(yTrue.slice(), yPred.slice(), rows, cols)), rows, `losses, one per row (${rows} rows)`);
  let total = 0;
  for (let r = 0; r < rows; r++) total += (w ? w[r] : 1) * perRow[r];
  return total / rows;
}

/** A metric function's sum over the batch's rows (its mean × rows), to be averaged over the epoch's rows. */
export function metricSum(name: string, fn: MetricFunction, yTrue: Float32Array, yPred: Float32Array, rows: number, cols: number): number {
  const what = `metric '${name}'`;
  const v = call(what, () => fn(yTrue.slice(), yPred.slice(), rows, cols));
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${what} returned ${v}; it must return a finite number or one value per row`);
    return v * rows;
  }
  const a = checkValues(what, v, rows, `values, one per row (${rows} rows), or one number`);
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += a[i];
  return sum;
}

/** The id the plan carries for a loss in JS. */
export const LOSS_EXTERNAL = ids.LOSS_EXTERNAL;
