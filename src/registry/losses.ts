// Losses: id, names, which output activation the kernel fuses with (gradient p − y), target form.
import * as ids from '../shared/ids.js';
import { registry } from './lookup.js';
import type { LossFunction } from './js-functions.js';
import type { NameOf } from './names.js';

/** One loss: its names, its kernel id and what targets it takes. */
export interface LossRow {
  /** The canonical (tfjs camelCase) name. */
  readonly name: string;
  /** Other accepted names; each also in snake_case. */
  readonly aliases?: readonly string[];
  /** The kernels' id for it (src/shared/ids.ts). */
  readonly id: number;
  /** The output activation whose derivative the loss kernel folds in (dLoss/dz = p − y). */
  readonly fusesWith?: number;
  /** Targets are one integer class label per row instead of a row of the output's width. */
  readonly sparse?: boolean;
  /** Huber's δ (Keras default 1.0). */
  readonly delta?: number;
  /** Crossentropies need probabilities; Keras resolves 'accuracy' by the loss. */
  readonly kind: 'regression' | 'binary' | 'categorical' | 'sparse';
  /** A loss written in JS (id LOSS_EXTERNAL): computed between the forward and backward calls. */
  readonly js?: LossFunction;
}

/** The row of a loss written in JS: targets of the output's width, checked as a regression's are. */
export function jsLossRow(loss: LossFunction): LossRow {
  return { name: loss.name, id: ids.LOSS_EXTERNAL, kind: 'regression', js: loss };
}

const ROWS = [
  { name: 'meanSquaredError', id: ids.LOSS_MSE, aliases: ['mse'], kind: 'regression' },
  { name: 'meanAbsoluteError', id: ids.LOSS_MAE, aliases: ['mae'], kind: 'regression' },
  { name: 'binaryCrossentropy', id: ids.LOSS_BCE, aliases: ['bce'], fusesWith: ids.ACT_SIGMOID, kind: 'binary' },
  { name: 'categoricalCrossentropy', id: ids.LOSS_CCE, aliases: ['cce'], fusesWith: ids.ACT_SOFTMAX, kind: 'categorical' },
  {
    name: 'sparseCategoricalCrossentropy',
    id: ids.LOSS_SPARSE_CCE,
    aliases: ['scce'],
    fusesWith: ids.ACT_SOFTMAX,
    sparse: true,
    kind: 'sparse',
  },
  { name: 'huber', id: ids.LOSS_HUBER, aliases: ['huberLoss'], delta: 1.0, kind: 'regression' },
] as const satisfies readonly LossRow[];

/** Every loss by name; `losses.names` lists the canonical ones. */
export const losses = registry<LossRow>('loss', ROWS, 'losses');

/** A loss's name: tfjs camelCase ('binaryCrossentropy'), Keras snake_case ('binary_crossentropy') or a short form ('bce'). */
export type LossName = NameOf<(typeof ROWS)[number]>;
