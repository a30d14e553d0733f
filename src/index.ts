// deltaflow's public API: TensorFlow.js Layers names with Keras 3 semantics. The training core, plus
// save/load in TensorFlow.js's format, the data workflow (CSV, scalers, splits), SVG plots and text preprocessing.
export * from './core.js';
export { loadLayersModel, io, ModelFormatError } from './io/index.js';
export type { CustomObjects, IOHandler, IORouter, LoadOptions, ModelArtifacts, ModelJSON, SaveOptions, SaveResult, WeightsManifestEntry } from './io/index.js';

/** df.data: CSV reading, tables, one-hot, scalers, seeded splits. df.plot: learning curves and other SVG plots. df.text: Keras's tokenizer and padSequences. */
export * as data from './data/index.js';
export * as plot from './plot/index.js';
export * as text from './text/index.js';
