// train's per-epoch progress lines, written through the CLI's io rather than straight to process.stdout,
// so a test captures them and a closed stdout drops them without stopping the training.
import type * as df from '../entries/node.js';
import type { Print } from './commands/common.js';

/** `Epoch 3/100 - 8/8 0s 2ms/step - loss: 0.4512 - accuracy: 0.7812` after every epoch. */
export function epochLines(epochs: number, steps: number, print: Print): df.Callback {
  let start = 0;
  return {
    onEpochBegin() {
      start = performance.now();
    },
    onEpochEnd(epoch, logs = {}) {
      const elapsed = (performance.now() - start) / 1000;
      const perStep = elapsed / Math.max(1, steps);
      const timing = `${Math.round(elapsed)}s ${perStep >= 1e-3 ? `${Math.round(perStep * 1e3)}ms` : `${Math.round(perStep * 1e6)}us`}/step`;
      const values = Object.entries(logs).map(([k, v]) => ` - ${k}: ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4)}`).join('');
      print(`Epoch ${epoch + 1}/${epochs} - ${steps}/${steps} ${timing}${values}`);
    },
  };
}
