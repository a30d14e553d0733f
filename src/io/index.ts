// df.io: handlers (tfjs's names), the router registry and userDefinedMetadata.
import { getUserDefinedMetadata, setUserDefinedMetadata } from './access.js';
import { fromFiles, fromMemory, withSaveHandler } from './handlers/memory.js';
import { getLoadHandlers, getSaveHandlers, registerLoadRouter, registerSaveRouter } from './router.js';
import { modelToArtifacts, saveModel } from './save.js';
import { registerSaver } from '../model/saver.js';

// model.save() comes from here: importing io (the full entry does) gives models their save method.
registerSaver(saveModel);

export const io = {
  withSaveHandler,
  fromMemory,
  fromFiles,
  registerSaveRouter,
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
