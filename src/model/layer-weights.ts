// Reading new values for one layer's weights: count, shape and values all checked before anything is
// written, each error naming the layer, the index and both shapes.
import { toMatrix, type Input } from '../tensor.js';
import { showShape } from './input.js';

/** One weight of a layer as the model lays it out: its name and shape, and where it starts in the params block. */
export interface WeightSlot {
  name: string;
  shape: readonly number[];
  offset: number;
}

/** The values for each slot, in order, or an Error naming `who` (the layer) and what is wrong; nothing is written here. */
export function readLayerWeights(who: string, slots: readonly WeightSlot[], weights: readonly Input[]): Float32Array[] {
  const expected = slots.map((s) => `${s.name} ${showShape(s.shape)}`).join(', ');
  if (!Array.isArray(weights)) throw new Error(`setWeights on ${who}: expected an array of ${slots.length} weights (${expected}), got ${typeof weights}`);
  if (weights.length !== slots.length) throw new Error(`setWeights on ${who}: expected ${slots.length} weights (${expected}), got ${weights.length}`);
  return slots.map((slot, i) => {
    const m = toMatrix(weights[i], `setWeights on ${who}: weights[${i}] (${slot.name})`);
    if (showShape(m.dims) !== showShape(slot.shape)) {
      throw new Error(`setWeights on ${who}: weights[${i}] (${slot.name}) has shape ${showShape(m.dims)} but the layer needs ${showShape(slot.shape)}`);
    }
    return m.data;
  });
}
