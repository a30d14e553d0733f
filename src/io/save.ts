// model.save(): the model as tfjs ModelArtifacts (topology, float32 weights in getWeights() order,
// optionally the optimizer's configuration and state), handed to a handler or a URL's handler.
import type { Sequential } from '../model/sequential.js';
import { checkMetadata, generatorStates, getUserDefinedMetadata } from './access.js';
import { optimizerConfig, slotNames } from './optimizer.js';
import { resolveSaveHandler } from './router.js';
import { snake } from './fields.js';
import { VERSION, writeTopology } from './topology.js';
import type { IOHandler, ModelArtifacts, SaveOptions, SaveResult, TrainingConfig } from './types.js';
import { encodeWeights } from './weights.js';
import { firstNonFinite } from '../wasm/check.js';
import { checkOptions } from '../options.js';
import { SAVE_OPTIONS } from './options.js';

/** The model's weight names in getWeights() order: '<layer>/<weight>', e.g. 'dense/kernel', 'dense/bias'. */
export function weightNames(model: Sequential): string[] {
  return model.weightTable().map((t) => `${model.layers[t.layer].name}/${t.weight.name}`);
}

/** The model as ModelArtifacts, as tfjs's LayersModel.save builds them. */
export function modelToArtifacts(model: Sequential, given?: SaveOptions): ModelArtifacts {
  const options = checkOptions('save', given, SAVE_OPTIONS);
  let weights;
  try {
    weights = model.getWeights();
  } catch (e) {
    throw new Error(`save: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const names = weightNames(model);
  if (names.length !== weights.length) throw new Error(`save: the model has ${weights.length} weights but its layers name ${names.length}`);
  const inputShape = model.inputShape;
  if (inputShape === undefined) throw new Error("save: the model's input shape is not known yet; give the first layer an inputShape or call predict/fit first");
  const list: Parameters<typeof encodeWeights>[0] = weights.map((t, i) => ({ name: names[i], shape: t.shape, data: t.dataSync() }));
  const artifacts: ModelArtifacts = {
    modelTopology: writeTopology(model, inputShape),
    format: 'layers-model',
    generatedBy: `deltaflow ${VERSION}`,
    convertedBy: null,
  };
  if (options.includeOptimizer) {
    const optimizer = model.optimizer;
    if (!optimizer || !model.lossRow) throw new Error('save: includeOptimizer needs a compiled model (call model.compile first)');
    const state = model.getOptimizerState();
    if (state.iterations > 0x7fffffff) throw new Error(`save: ${state.iterations} optimizer steps do not fit tfjs's int32 'iter'`);
    list.push({ name: 'iter', shape: [], data: Int32Array.of(state.iterations), group: 'optimizer' });
    // As tfjs: a slot per trainable weight (they come first); batch norm's moving statistics have none.
    const table = model.weightTable();
    slotNames(optimizer).forEach((slot, s) => {
      let at = 0;
      weights.forEach((w, i) => {
        if (!table[i].trainable) return;
        list.push({ name: `${names[i]}/${slot}`, shape: w.shape, data: state.slots[s].subarray(at, at + w.size), group: 'optimizer' });
        at += w.size;
      });
    });
    const rng = generatorStates(model);
    const trainingConfig: TrainingConfig = {
      loss: snake(model.lossRow.name),
      metrics: model.metricRows.map((m) => m.key),
      optimizer_config: optimizerConfig(optimizer),
      // Not read by tfjs: the generator states that make a resumed fit() shuffle (and drop out) as an
      // uninterrupted one would.
      deltaflow: { rng_state: rng.model, layer_rng_states: rng.layers },
    };
    artifacts.trainingConfig = trainingConfig;
  }
  const metadata = options.userDefinedMetadata ?? getUserDefinedMetadata(model);
  if (metadata !== undefined) artifacts.userDefinedMetadata = checkMetadata(metadata, 'save: userDefinedMetadata');
  // What is saved must load: the loader refuses non-finite values, so a diverged model is refused here.
  for (const e of list) {
    const bad = e.data instanceof Float32Array ? firstNonFinite(e.data) : -1;
    if (bad >= 0) {
      throw new Error(`save: weight '${e.name}' holds ${e.data[bad]} at index ${bad}: a model with non-finite values cannot be loaded back (training diverged; df.callbacks.terminateOnNaN stops it there)`);
    }
  }
  const { specs, data } = encodeWeights(list);
  artifacts.weightSpecs = specs;
  artifacts.weightData = data;
  return artifacts;
}

/** Saves through a handler ({ save }) or a URL: file://, indexeddb://, localstorage://, downloads://, http(s)://. */
export async function saveModel(model: Sequential, handlerOrUrl: string | IOHandler, options?: SaveOptions): Promise<SaveResult> {
  const handler = resolveSaveHandler(handlerOrUrl);
  const artifacts = modelToArtifacts(model, options);
  return handler.save!(artifacts);
}
