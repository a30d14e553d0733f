// model.json for artifacts, field for field as tfjs writes it (io_utils getModelJSONForModelArtifacts).
import type { ModelArtifacts, ModelJSON, WeightsManifestConfig } from '../types.js';

export function modelJSON(a: ModelArtifacts, manifest: WeightsManifestConfig): ModelJSON {
  if (a.modelTopology instanceof ArrayBuffer) throw new Error('save: binary model topologies (graph models) cannot be saved here');
  const out: ModelJSON = {
    modelTopology: a.modelTopology as {},
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: manifest,
  };
  if (a.signature != null) out.signature = a.signature;
  if (a.userDefinedMetadata != null) out.userDefinedMetadata = a.userDefinedMetadata;
  if (a.modelInitializer != null) out.modelInitializer = a.modelInitializer;
  if (a.initializerSignature != null) out.initializerSignature = a.initializerSignature;
  if (a.trainingConfig != null) out.trainingConfig = a.trainingConfig;
  return out;
}

/** The artifacts' weight data as one byte array. */
export function joinWeightData(data: ModelArtifacts['weightData']): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (!Array.isArray(data)) return new Uint8Array(data);
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}
