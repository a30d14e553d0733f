// df.io: handlers (tfjs's names), the router registry and userDefinedMetadata.
import { getUserDefinedMetadata, setUserDefinedMetadata } from './access.js';
import { fromFiles, fromMemory, withSaveHandler } from './handlers/memory.js';
import { getLoadHandlers, getSaveHandlers, registerLoadRouter, registerSaveRouter } from './router.js';
import { modelToArtifacts } from './save.js';
import { registerIo } from './register.js';

// model.save() comes from here: importing io gives models their save method, and layers their getConfig()
// (the config a saved model holds for the layer). The main entry's ready() also lets model.save() import
// ./register.js on first use, for an app that names nothing from io.
registerIo();

/** Save and load handlers with TensorFlow.js's names: `df.io.fromMemory(artifacts)`, `df.io.withSaveHandler(fn)`, the URL routers and a model's userDefinedMetadata. */
export const io = {
  withSaveHandler,
  fromMemory,
  fromFiles,
  /** Adds a router that turns a URL given to `model.save(url)` into a handler (as `tf.io.registerSaveRouter`). */
  registerSaveRouter,
  /** Adds a router that turns a URL given to `loadLayersModel(url)` into a handler (as `tf.io.registerLoadRouter`). */
  registerLoadRouter,
  getSaveHandlers,
  getLoadHandlers,
  getUserDefinedMetadata,
  setUserDefinedMetadata,
  modelToArtifacts,
};

export { ModelFormatError } from './errors.js';
export { loadLayersModel } from './load.js';
export type { IORouter } from './router.js';
export type { CustomObjects } from './custom.js';
export type { FileContent } from './handlers/memory.js';
export type {
  IOHandler,
  LoadHandler,
  SaveHandler,
  StagedHandler,
  StagedModel,
  ReadLimits,
  WeightData,
  WeightDtype,
  WeightGroup,
  WeightsManifestConfig,
  Quantization,
  LoadOptions,
  ModelArtifacts,
  ModelArtifactsInfo,
  ModelJSON,
  SaveOptions,
  SaveResult,
  TrainingConfig,
  WeightsManifestEntry,
  WeightsManifestGroupConfig,
} from './types.js';
