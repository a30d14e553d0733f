// How the Node entry reaches io, data, plot and text (node-extras.ts). Here statically, so the sources
// and their tests load them with the entry; the Node bundle swaps this file for one that requires its
// extras.js on first use (scripts/build-bundles.mjs), so that `import 'deltaflow'` parses the training
// core alone: the rest is half of the code, and parsing it cost ~10 ms of a cold start here.
import * as extras from './node-extras.js';

export type Extras = typeof extras;

export function loadExtras(): Extras {
  return extras;
}
