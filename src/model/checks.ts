// Argument checks shared by the model's entry points: each error names the argument, the value and
// what was expected, and is thrown before anything in the model changes.
import type { LossRow } from '../registry/losses.js';
import type { Matrix } from '../tensor.js';

/** x must have the model's input width. */
export function checkInputs(x: Matrix, inputDim: number): void {
  if (x.cols !== inputDim) {
    throw new Error(`x has ${x.cols} feature${x.cols === 1 ? '' : 's'} per row but the model's input shape is [${inputDim}]`);
  }
}

/** y must match x's rows and the output's width (or hold integer class labels for sparse losses). */
export function checkTargets(y: Matrix, rows: number, units: number, loss: LossRow): void {
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
    throw new Error(`y has ${y.cols} column${y.cols === 1 ? '' : 's'} per row but the model's output has ${units} unit${units === 1 ? '' : 's'}`);
  }
}
