// Figure 9-9's family tree, from gradient descent to Adam (and the newer ones deltaflow also has).
// The race's names: 'gd' (full-batch gradient descent) and deltaflow's optimizerNames.
import type { Key } from '../i18n.js';

export interface FamilyNode {
  id: string;
  /** i18n key of the node's name. */
  name: Key;
  short: string;
  year: string;
  col: number;
  row: number;
  parents: string[];
}

export const family: FamilyNode[] = [
  { id: 'gd', name: 'opt_gd', short: 'GD', year: '1847', col: 0, row: 2, parents: [] },
  { id: 'sgd', name: 'opt_sgd', short: 'SGD', year: '1951', col: 1, row: 2, parents: ['gd'] },
  { id: 'momentum', name: 'opt_momentum', short: 'Momentum', year: '1964', col: 2, row: 0.6, parents: ['sgd'] },
  { id: 'nesterov', name: 'opt_nesterov', short: 'NAG', year: '1983', col: 3, row: 0, parents: ['momentum'] },
  { id: 'adagrad', name: 'opt_adagrad', short: 'Adagrad', year: '2011', col: 2, row: 3.4, parents: ['sgd'] },
  { id: 'rmsprop', name: 'opt_rmsprop', short: 'RMSprop', year: '2012', col: 3, row: 2.8, parents: ['adagrad'] },
  { id: 'adadelta', name: 'opt_adadelta', short: 'Adadelta', year: '2012', col: 3, row: 4.1, parents: ['adagrad'] },
  { id: 'adam', name: 'opt_adam', short: 'Adam', year: '2014', col: 4, row: 1.6, parents: ['momentum', 'rmsprop'] },
  { id: 'nadam', name: 'opt_nadam', short: 'Nadam', year: '2016', col: 5, row: 0, parents: ['nesterov', 'adam'] },
  { id: 'adamax', name: 'opt_adamax', short: 'Adamax', year: '2014', col: 5, row: 1, parents: ['adam'] },
  { id: 'amsgrad', name: 'opt_amsgrad', short: 'AMSGrad', year: '2018', col: 5, row: 2, parents: ['adam'] },
  { id: 'adamw', name: 'opt_adamw', short: 'AdamW', year: '2017', col: 5, row: 3, parents: ['adam'] },
  { id: 'lion', name: 'opt_lion', short: 'Lion', year: '2023', col: 6, row: 3, parents: ['adamw'] },
];

/** Every ancestor of a node, itself included: the path of ideas that leads to it. */
export function lineage(id: string): Set<string> {
  const out = new Set<string>();
  const visit = (n: string) => {
    if (out.has(n)) return;
    out.add(n);
    family.find((f) => f.id === n)?.parents.forEach(visit);
  };
  visit(id);
  return out;
}
