// The jobs a panel's worker can run, by name.
import { backprop } from './backprop.js';
import { vanishing } from './vanishing.js';
import { rnnGradient } from './rnn-gradient.js';
import { activationsJob } from './activations.js';
import { optimizerRace } from './optimizers.js';
import { boundary } from './boundary.js';
import { digits } from './digits.js';

export type Post = (msg: unknown, transfer?: Transferable[]) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Job = (post: Post, init: any) => ((msg: any) => unknown) | Promise<(msg: any) => unknown>;

export const jobs: Record<string, Job> = { backprop, vanishing, rnnGradient, activations: activationsJob, optimizers: optimizerRace, boundary, digits };
