// deltaflow's public API: TensorFlow.js Layers names with Keras 3 semantics. The training core, plus
// save/load in TensorFlow.js's format, the data workflow (CSV, scalers, splits), SVG plots and text preprocessing.
// The core, with model.save() loading the io module on first use when nothing else named it (entries/main.ts).
export * from './entries/main.js';
export { loadLayersModel, io, ModelFormatError } from './io/index.js';
export type { CustomObjects, IOHandler, IORouter, LoadOptions, ModelArtifacts, ModelJSON, SaveOptions, SaveResult, WeightsManifestEntry } from './io/index.js';

/** df.data: CSV reading, tables, one-hot, scalers, seeded splits. df.plot: learning curves and other SVG plots. df.text: Keras's tokenizer and padSequences. */
export * as data from './data/index.js';
export * as plot from './plot/index.js';
export * as text from './text/index.js';
