// Argument checks shared by the model's entry points: each error names the argument, the value and
// what was expected, and is thrown before anything in the model changes.
import type { LossRow } from '../registry/losses.js';
import type { Matrix } from '../tensor.js';
import { ACT_SOFTMAX } from '../shared/ids.js';
import { showShape, sizeOf } from './input.js';

/** x's rows must have the model's input shape (rows of features: the same width). */
export function checkInputs(x: Pick<Matrix, 'shape' | 'cols'>, inShape: readonly number[]): void {
  if (inShape.length === 1 && x.shape.length === 1) {
    if (x.cols !== inShape[0]) throw new Error(`x has ${x.cols} feature${x.cols === 1 ? '' : 's'} per row but the model's input shape is [${inShape[0]}]`);
    return;
  }
  if (x.shape.length !== inShape.length || x.shape.some((d, i) => d !== inShape[i])) {
    const hint = sizeOf(x.shape) === sizeOf(inShape) ? ` (the same ${x.cols} values: pass them as { data, shape: [rows, ${inShape.join(', ')}] })` : '';
    throw new Error(`x has rows of shape ${showShape(x.shape)} but the model's input shape is ${showShape(inShape)}${hint}`);
  }
}

/** y must match x's rows and the output's width (or hold integer class labels for sparse losses). */
export function checkTargets(y: Matrix, rows: number, outShape: readonly number[], loss: LossRow): void {
  const units = sizeOf(outShape);
  if ((loss.sparse || loss.fusesWith === ACT_SOFTMAX) && outShape.length > 1) {
    throw new Error(`loss '${loss.name}' needs rows of class scores, but the model's output shape is ${showShape(outShape)}; add a flatten() layer`);
  }
  if (y.rows !== rows) throw new Error(`y has ${y.rows} rows but x has ${rows}: every input row needs one target row`);
  if (loss.sparse) {
    if (y.cols !== 1) throw new Error(`loss '${loss.name}' takes one integer class label per row, but y has ${y.cols} columns`);
    for (let r = 0; r < y.rows; r++) {
      const label = y.data[r];
      if (!Number.isInteger(label) || label < 0 || label >= units) {
        throw new Error(`y[${r}] = ${label} is not a class label: '${loss.name}' needs integers in [0, ${units - 1}] for ${units} output units`);
      }
    }
  } else if (y.cols !== units) {
    if (outShape.length > 1) throw new Error(`y has rows of shape ${showShape(y.shape)} but the model's output shape is ${showShape(outShape)}`);
    throw new Error(`y has ${y.cols} column${y.cols === 1 ? '' : 's'} per row but the model's output has ${units} unit${units === 1 ? '' : 's'}`);
  }
}
