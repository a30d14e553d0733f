// The layer contract in one import: the base class every kind extends, its plan, and the check add() uses.
import { Layer } from './base.js';

export { Layer, layerPlan, type LayerOwner, type LayerPlan, type WeightSpec } from './base.js';

export function isLayer(x: unknown): x is Layer {
  return x instanceof Layer;
}
