// In-memory handlers, usable everywhere: withSaveHandler (artifacts to a callback), fromMemory
// (artifacts back), fromFiles (a model.json and its weight files as bytes, strings or Blobs/Files).
import { ModelFormatError, check } from '../errors.js';
import { describe } from '../fields.js';
import type { IOHandler, ModelArtifacts, SaveResult, StagedHandler, TrainingConfig, WeightData, WeightsManifestEntry } from '../types.js';
import { checkGroupSizes, parseModelJSON, stagedHandler } from './staged.js';

/** A handler whose save() hands the artifacts to `fn` (tfjs's tf.io.withSaveHandler). */
export function withSaveHandler(fn: (artifacts: ModelArtifacts) => Promise<SaveResult> | SaveResult | Promise<unknown> | unknown): IOHandler {
  if (typeof fn !== 'function') throw new TypeError('io.withSaveHandler: expected a function (artifacts) => result');
  return {
    save: async (artifacts) => {
      const result = (await fn(artifacts)) as SaveResult | undefined;
      return result && typeof result === 'object' && 'modelArtifactsInfo' in result ? result : { modelArtifactsInfo: artifactsInfo(artifacts) };
    },
  };
}

/** A handler that loads the given artifacts (or, tfjs's older form, topology, specs, data, trainingConfig). */
export function fromMemory(artifacts: ModelArtifacts | {}, weightSpecs?: WeightsManifestEntry[], weightData?: WeightData, trainingConfig?: TrainingConfig): IOHandler {
  const isArtifacts = typeof artifacts === 'object' && artifacts !== null && weightSpecs === undefined && ('modelTopology' in artifacts || 'weightSpecs' in artifacts);
  const a: ModelArtifacts = isArtifacts ? { ...(artifacts as ModelArtifacts) } : { modelTopology: artifacts, weightSpecs, weightData, trainingConfig };
  return { load: async () => a };
}

export function artifactsInfo(a: ModelArtifacts): SaveResult['modelArtifactsInfo'] {
  const enc = new TextEncoder();
  const data = a.weightData;
  const bytes = data === undefined ? 0 : Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: a.modelTopology === undefined ? 0 : enc.encode(JSON.stringify(a.modelTopology)).byteLength,
    weightSpecsBytes: a.weightSpecs === undefined ? 0 : enc.encode(JSON.stringify(a.weightSpecs)).byteLength,
    weightDataBytes: bytes,
  };
}

/** One file's content for `io.fromFiles`: text, bytes or a Blob. */
export type FileContent = string | ArrayBuffer | ArrayBufferView | Blob;

function sizeOf(v: FileContent): number {
  if (typeof v === 'string') return new TextEncoder().encode(v).byteLength;
  if (typeof Blob !== 'undefined' && v instanceof Blob) return v.size;
  if (ArrayBuffer.isView(v)) return v.byteLength;
  return (v as ArrayBuffer).byteLength;
}

async function bytesOf(v: FileContent): Promise<Uint8Array> {
  if (typeof v === 'string') return new TextEncoder().encode(v);
  if (typeof Blob !== 'undefined' && v instanceof Blob) return new Uint8Array(await v.arrayBuffer());
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return new Uint8Array(v as ArrayBuffer);
}

function isContent(v: unknown): v is FileContent {
  return typeof v === 'string' || ArrayBuffer.isView(v) || v instanceof ArrayBuffer || (typeof Blob !== 'undefined' && v instanceof Blob);
}

/**
 * A handler over a model's files held in memory: { 'model.json': text, 'weights.bin': bytes } (keys
 * are paths, the weights resolved next to model.json), or browser File objects ([json, ...weights]).
 */
export function fromFiles(files: Record<string, FileContent> | readonly (Blob & { name?: string })[]): StagedHandler {
  const map = new Map<string, FileContent>();
  if (Array.isArray(files)) {
    files.forEach((f, i) => {
      if (!isContent(f)) throw new TypeError(`io.fromFiles: files[${i}] is ${describe(f)}, not a File or Blob`);
      const name = (f as { name?: unknown }).name;
      map.set(typeof name === 'string' && name ? name : i === 0 ? 'model.json' : `file${i}`, f);
    });
  } else if (files && typeof files === 'object') {
    for (const [k, v] of Object.entries(files)) {
      if (!isContent(v)) throw new TypeError(`io.fromFiles: '${k}' is ${describe(v)}, not text, bytes or a Blob`);
      map.set(k, v);
    }
  } else throw new TypeError('io.fromFiles: expected { path: content } or an array of Files');
  const jsonKey = map.has('model.json') ? 'model.json' : [...map.keys()].find((k) => k.endsWith('.json'));
  if (jsonKey === undefined) throw new TypeError('io.fromFiles: no model.json among the files');
  const dir = jsonKey.includes('/') ? jsonKey.slice(0, jsonKey.lastIndexOf('/') + 1) : '';
  const lookup = (p: string): FileContent => {
    const v = map.get(dir + p) ?? (Array.isArray(files) ? map.get(p.split('/').pop()!) : undefined);
    if (v === undefined) throw new ModelFormatError(`the manifest names the weight file ${JSON.stringify(p)}, which is not among the files`);
    return v;
  };
  return stagedHandler(async (limits) => {
    const { maxJsonBytes } = limits;
    const raw = map.get(jsonKey)!;
    check(sizeOf(raw) <= maxJsonBytes, `${jsonKey} is ${sizeOf(raw)} bytes; at most ${maxJsonBytes} are accepted (maxJsonBytes)`);
    const json = parseModelJSON(typeof raw === 'string' ? raw : await bytesOf(raw), jsonKey, limits);
    return {
      json,
      where: jsonKey,
      async readWeights(paths, groupBytes) {
        const total = checkGroupSizes(paths, groupBytes, (p) => sizeOf(lookup(p)), jsonKey);
        const out = new Uint8Array(total);
        let at = 0;
        for (const p of paths.flat()) {
          const b = await bytesOf(lookup(p));
          check(at + b.byteLength <= total, `weight file ${p} changed size while being read`);
          out.set(b, at);
          at += b.byteLength;
        }
        return out;
      },
    };
  });
}
