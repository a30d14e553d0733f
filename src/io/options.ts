// The options model.save and loadLayersModel take, and the tfjs/Keras ones they do not, with what to
// do instead: checked here so a misspelt option is an error rather than silently ignored.
import type { OptionSpec } from '../options.js';
import type { LoadOptions, SaveOptions } from './types.js';

const unset = (v: unknown) => v === undefined || v === null;

export const SAVE_OPTIONS: OptionSpec<SaveOptions> = {
  known: { includeOptimizer: true, userDefinedMetadata: true },
  unsupported: {
    trainableOnly: { instead: 'every weight is saved, as a model loads only with all of them', harmless: (v) => unset(v) || v === false },
    saveFormat: { instead: "model.save writes TensorFlow.js's format (model.json and its weight files), which tfjs reads and Keras reads through the tensorflowjs converter" },
    overwrite: { instead: 'a save replaces the model saved at that URL', harmless: (v) => unset(v) || v === true },
  },
};

export const LOAD_OPTIONS: OptionSpec<LoadOptions> = {
  known: {
    maxParameters: true, maxJsonBytes: true, maxMetadataBytes: true, seed: true, compile: true, customObjects: true,
    requestInit: true, fetchFunc: true,
  },
  unsupported: {
    strict: { instead: 'every weight the model needs must be present and match its shape, always', harmless: (v) => unset(v) || v === true },
    onProgress: { instead: 'loading reports no progress; await the promise it returns' },
    weightPathPrefix: { instead: 'weight files are read next to model.json; pass an IOHandler (or io.registerLoadRouter) to read them elsewhere' },
  },
};
