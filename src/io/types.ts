// TensorFlow.js's io types (tfjs-core/src/io/types.ts), restated so deltaflow's artifacts and handlers
// are interchangeable with tfjs's: a tfjs IOHandler loads into deltaflow and the other way round.

export type WeightDtype = 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
export type WeightGroup = 'model' | 'optimizer';

export interface Quantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  min?: number;
  scale?: number;
}

/** One tensor in a weights manifest: stored in manifest order, little-endian, row-major. */
export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: WeightDtype;
  group?: WeightGroup;
  quantization?: Quantization;
}

/** A group's tensors are stored back to back across its files (shards) in order. */
export interface WeightsManifestGroupConfig {
  paths: string[];
  weights: WeightsManifestEntry[];
}

export type WeightsManifestConfig = WeightsManifestGroupConfig[];

export interface TrainingConfig {
  optimizer_config: {};
  loss: string | string[] | { [key: string]: string };
  metrics?: string[] | { [key: string]: string };
  weighted_metrics?: string[];
  sample_weight_mode?: string;
  loss_weights?: number[] | { [key: string]: number };
  [key: string]: unknown;
}

export type WeightData = ArrayBuffer | ArrayBuffer[];

export interface ModelArtifacts {
  modelTopology?: {} | ArrayBuffer;
  trainingConfig?: TrainingConfig;
  weightSpecs?: WeightsManifestEntry[];
  weightData?: WeightData;
  getWeightStream?: () => ReadableStream<ArrayBuffer | Uint8Array>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: {};
  userDefinedMetadata?: { [key: string]: {} };
  modelInitializer?: {};
  initializerSignature?: {};
}

/** model.json. */
export interface ModelJSON {
  modelTopology: {};
  trainingConfig?: TrainingConfig;
  weightsManifest: WeightsManifestConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: {};
  userDefinedMetadata?: { [key: string]: {} };
  modelInitializer?: {};
  initializerSignature?: {};
}

export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON' | 'GraphDef';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  responses?: Response[];
  errors?: Array<{} | string>;
}

export type SaveHandler = (artifacts: ModelArtifacts) => Promise<SaveResult>;
export type LoadHandler = () => Promise<ModelArtifacts>;

export interface IOHandler {
  save?: SaveHandler;
  load?: LoadHandler;
}

export interface SaveOptions {
  /** Also save the optimizer's configuration and state, and the shuffling generators, so training resumes exactly. */
  includeOptimizer?: boolean;
  /** Stored as the artifacts' userDefinedMetadata (default: what io.getUserDefinedMetadata(model) returns). */
  userDefinedMetadata?: { [key: string]: {} };
}

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
  maxJsonBytes: number;
  maxMetadataBytes?: number;
}

export interface StagedHandler extends IOHandler {
  loadStaged(limits: ReadLimits): Promise<StagedModel>;
}

export function isStaged(h: IOHandler): h is StagedHandler {
  return typeof (h as StagedHandler).loadStaged === 'function';
}
