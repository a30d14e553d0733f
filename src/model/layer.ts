// The layers a Sequential model stacks, and what the planner needs to know of each.
import * as P from '../shared/plan.js';
import { Activation } from './activation.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';

export type Layer = Dense | Dropout | Activation;

export function isLayer(x: unknown): x is Layer {
  return x instanceof Dense || x instanceof Dropout || x instanceof Activation;
}

/** The layer's kind id in the plan. */
export function layerKind(l: Layer): number {
  return l instanceof Dense ? P.LAYER_DENSE : l instanceof Dropout ? P.LAYER_DROPOUT : P.LAYER_ACTIVATION;
}

/** The layer's output width given its input width (only Dense changes it). */
export function outputWidth(l: Layer, fanIn: number): number {
  return l instanceof Dense ? l.units : fanIn;
}
