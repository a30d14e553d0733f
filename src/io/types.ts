// TensorFlow.js's io types (tfjs-core/src/io/types.ts), restated so deltaflow's artifacts and handlers
// are interchangeable with tfjs's: a tfjs IOHandler loads into deltaflow and the other way round.
import type { CustomObjects } from './custom.js';

/** A stored tensor's element type, as tfjs names it. */
export type WeightDtype = 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
/** Whether a stored tensor belongs to the model or to its optimizer's state. */
export type WeightGroup = 'model' | 'optimizer';

/** How a quantized weight maps back to floats: value = min + scale · q (uint8, uint16) or a half float. */
export interface Quantization {
  /** The stored integer or half-float type. */
  dtype: 'uint8' | 'uint16' | 'float16';
  /** The float that q = 0 stands for. */
  min?: number;
  /** The float step between consecutive q. */
  scale?: number;
}

/** One tensor in a weights manifest: stored in manifest order, little-endian, row-major. */
export interface WeightsManifestEntry {
  /** The weight's name, such as 'dense/kernel'. */
  name: string;
  /** Its shape, such as [in, out] for a Dense kernel. */
  shape: number[];
  /** The stored type; deltaflow reads and writes 'float32' and 'int32'. */
  dtype: WeightDtype;
  /** 'optimizer' for optimizer state saved with `includeOptimizer`, else the model's. */
  group?: WeightGroup;
  /** How a quantized weight is stored (tfjs's converter writes these; deltaflow reads them). */
  quantization?: Quantization;
}

/** A group's tensors are stored back to back across its files (shards) in order. */
export interface WeightsManifestGroupConfig {
  /** The group's files, relative to model.json, in order. */
  paths: string[];
  /** The tensors stored across those files, in order. */
  weights: WeightsManifestEntry[];
}

/** model.json's weightsManifest: groups of tensors and the files (shards) that hold them. */
export type WeightsManifestConfig = WeightsManifestGroupConfig[];

/** The compile arguments as Keras and tfjs store them in model.json (snake_case keys). */
export interface TrainingConfig {
  /** The optimizer's class name and config. */
  optimizer_config: {};
  /** The loss's name (or one per output). */
  loss: string | string[] | { [key: string]: string };
  /** The metrics' names. */
  metrics?: string[] | { [key: string]: string };
  /** Metrics weighted by sample weights (kept as read). */
  weighted_metrics?: string[];
  /** Keras's sample weight mode (kept as read). */
  sample_weight_mode?: string;
  /** Per-output loss weights (kept as read; a Sequential model has one output). */
  loss_weights?: number[] | { [key: string]: number };
  [key: string]: unknown;
}

/** Weight bytes: one buffer, or several to read as one. */
export type WeightData = ArrayBuffer | ArrayBuffer[];

/** A model in memory as tfjs's io passes it: topology, weight specs and one buffer of weight bytes. */
export interface ModelArtifacts {
  /** The Keras model config (`{ class_name: 'Sequential', config }`). */
  modelTopology?: {} | ArrayBuffer;
  /** The compile arguments (loss, metrics, optimizer config) when the model was compiled. */
  trainingConfig?: TrainingConfig;
  /** One entry per tensor in weightData, in order. */
  weightSpecs?: WeightsManifestEntry[];
  /** The weights' bytes, back to back in weightSpecs order (one buffer, or several to concatenate). */
  weightData?: WeightData;
  /** tfjs's streamed alternative to weightData: the same bytes as a stream. */
  getWeightStream?: () => ReadableStream<ArrayBuffer | Uint8Array>;
  /** 'layers-model' for a Layers model. */
  format?: string;
  /** The library and version that wrote the model. */
  generatedBy?: string;
  /** The converter that produced it from Keras, or null. */
  convertedBy?: string | null;
  /** A graph model's signature (kept as read; Layers models have none). */
  signature?: {};
  /** Your own JSON, saved with the model (`io.setUserDefinedMetadata`). */
  userDefinedMetadata?: { [key: string]: {} };
  /** A graph model's initializer (kept as read; Layers models have none). */
  modelInitializer?: {};
  /** A graph model's initializer signature (kept as read). */
  initializerSignature?: {};
}

/** model.json. */
export interface ModelJSON {
  /** The Keras model config (`{ class_name: 'Sequential', config }`). */
  modelTopology: {};
  /** The compile arguments when the model was saved compiled. */
  trainingConfig?: TrainingConfig;
  /** Which weight files hold which tensors, in order. */
  weightsManifest: WeightsManifestConfig;
  /** 'layers-model' for a Layers model. */
  format?: string;
  /** The library and version that wrote the file. */
  generatedBy?: string;
  /** The converter that produced it from Keras, or null. */
  convertedBy?: string | null;
  /** A graph model's signature (kept as read). */
  signature?: {};
  /** Your own JSON, saved with the model. */
  userDefinedMetadata?: { [key: string]: {} };
  /** A graph model's initializer (kept as read). */
  modelInitializer?: {};
  /** A graph model's initializer signature (kept as read). */
  initializerSignature?: {};
}

/** Sizes and date of a save. */
export interface ModelArtifactsInfo {
  /** When the model was saved. */
  dateSaved: Date;
  /** 'JSON' for a Layers model. */
  modelTopologyType: 'JSON' | 'GraphDef';
  /** Bytes of the topology as JSON. */
  modelTopologyBytes?: number;
  /** Bytes of the weight specs as JSON. */
  weightSpecsBytes?: number;
  /** Bytes of the weights. */
  weightDataBytes?: number;
}

/** What `model.save` resolves to. */
export interface SaveResult {
  /** When and how many bytes were saved. */
  modelArtifactsInfo: ModelArtifactsInfo;
  /** The HTTP responses of an http(s):// save. */
  responses?: Response[];
  /** Problems a handler reports without failing the save. */
  errors?: Array<{} | string>;
}

/** Writes a model's artifacts and says what was written. */
export type SaveHandler = (artifacts: ModelArtifacts) => Promise<SaveResult>;
/** Reads a model's artifacts. */
export type LoadHandler = () => Promise<ModelArtifacts>;

/** Where a model is saved to or loaded from: tfjs's IOHandler, so handlers work in both libraries. */
export interface IOHandler {
  /** Writes the artifacts (model.json's content and the weights) somewhere. */
  save?: SaveHandler;
  /** Reads the artifacts back. */
  load?: LoadHandler;
}

/** Options of `model.save(url, options)`. */
export interface SaveOptions {
  /** Also save the optimizer's configuration and state, and the shuffling generators, so training resumes exactly. */
  includeOptimizer?: boolean;
  /** Stored as the artifacts' userDefinedMetadata (default: what io.getUserDefinedMetadata(model) returns). */
  userDefinedMetadata?: { [key: string]: {} };
}

/** Options of `df.loadLayersModel(url, options)`. */
export interface LoadOptions {
  /** The largest model accepted, in parameters (default 2^28 floats = 1 GiB); checked before anything is allocated. */
  maxParameters?: number;
  /** The largest model.json accepted, in bytes (default 64 MiB). */
  maxJsonBytes?: number;
  /** The largest userDefinedMetadata accepted, in bytes of JSON (default 1 MiB; tfjs sets no limit). */
  maxMetadataBytes?: number;
  /** Seeds the loaded model's generator when the file carries no generator state (default: random). */
  seed?: number;
  /** Apply the training configuration and optimizer state if the file has them (default true). */
  compile?: boolean;
  /**
   * Losses and metric functions written in JS, by the name the saved training config gives them (Keras's
   * custom_objects): `{ my_loss: { name, fn, grad }, myMetric }`. Needed to compile a model trained with them.
   */
  customObjects?: CustomObjects;
  /** For http(s):// URLs: passed to fetch. */
  requestInit?: RequestInit;
  /** For http(s):// URLs: the fetch to use (default globalThis.fetch). */
  fetchFunc?: typeof fetch;
}

/** What deltaflow's own handlers offer besides load(): model.json first, weights only once it is checked. */
export interface StagedModel {
  /** The parsed model.json (unchecked). */
  json: unknown;
  /** Where the model came from, for messages. */
  where: string;
  /**
   * The bytes of every group's files, concatenated in manifest order; each group's files must add up
   * to exactly `groupBytes[g]`, which is checked before anything is read or allocated. Throws
   * ChangedWhileReading when a save replaced the model since `json` was read.
   */
  readWeights(paths: string[][], groupBytes: number[]): Promise<Uint8Array>;
  /** Lets go of what the handler holds open (the loader calls it once it is done, read or not). */
  release?(): Promise<void>;
}

/** What a staged handler may read: model.json's size, and its userDefinedMetadata's (default 1 MiB). */
export interface ReadLimits {
  /** The largest model.json to read, in bytes. */
  maxJsonBytes: number;
  /** The largest userDefinedMetadata to accept, in bytes of JSON. */
  maxMetadataBytes?: number;
}

/** A handler that reads model.json first and the weights only once the model is checked (deltaflow's own). */
export interface StagedHandler extends IOHandler {
  /** Reads model.json within the limits; the weights are read later through the result. */
  loadStaged(limits: ReadLimits): Promise<StagedModel>;
}

export function isStaged(h: IOHandler): h is StagedHandler {
  return typeof (h as StagedHandler).loadStaged === 'function';
}
