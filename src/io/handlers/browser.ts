// Browser storage with tfjs's layouts, so models move between tfjs and deltaflow: localstorage://name
// (keys tensorflowjs_models/<name>/…), indexeddb://name (database 'tensorflowjs'), downloads://name
// (model.json and name.weights.bin). Each checks for its API and says so when it is missing.
import { ModelFormatError, check } from '../errors.js';
import type { IOHandler, ModelArtifacts, SaveResult, StagedHandler } from '../types.js';
import { joinWeightData, modelJSON } from './json.js';
import { artifactsInfo } from './memory.js';
import { parseModelJSON, stagedHandler } from './staged.js';

// ---- localStorage ----

function localStore(): Storage {
  const ls = (globalThis as { localStorage?: Storage }).localStorage;
  if (!ls) throw new Error('localstorage:// needs window.localStorage, which this environment does not have');
  return ls;
}

function lsKeys(name: string) {
  const at = (suffix: string) => `tensorflowjs_models/${name}/${suffix}`;
  return { info: at('info'), topology: at('model_topology'), weightSpecs: at('weight_specs'), weightData: at('weight_data'), metadata: at('model_metadata') };
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string, what: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(s);
  } catch {
    throw new ModelFormatError(`${what} is not valid base64`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function localStorageHandler(name: string): StagedHandler & IOHandler {
  if (!name) throw new Error('localstorage:// needs a model name, e.g. localstorage://my-model');
  const keys = lsKeys(name);
  const save = async (a: ModelArtifacts): Promise<SaveResult> => {
    const ls = localStore();
    if (a.modelTopology instanceof ArrayBuffer) throw new Error('save: binary model topologies cannot be saved to localStorage');
    const info = artifactsInfo(a);
    const metadata = {
      format: a.format,
      generatedBy: a.generatedBy,
      convertedBy: a.convertedBy,
      signature: a.signature ?? undefined,
      userDefinedMetadata: a.userDefinedMetadata ?? undefined,
      modelInitializer: a.modelInitializer ?? undefined,
      initializerSignature: a.initializerSignature ?? undefined,
      trainingConfig: a.trainingConfig ?? undefined,
    };
    try {
      ls.setItem(keys.info, JSON.stringify(info));
      ls.setItem(keys.topology, JSON.stringify(a.modelTopology));
      ls.setItem(keys.weightSpecs, JSON.stringify(a.weightSpecs));
      ls.setItem(keys.weightData, toBase64(joinWeightData(a.weightData)));
      ls.setItem(keys.metadata, JSON.stringify(metadata));
      return { modelArtifactsInfo: info };
    } catch (e) {
      for (const k of Object.values(keys)) ls.removeItem(k);
      throw new Error(`save: could not store model '${name}' in localStorage (quota exceeded?): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  return stagedHandler(
    async (limits) => {
      const ls = localStore();
      const read = (key: string, what: string, required: boolean) => {
        const v = ls.getItem(key);
        if (v === null) {
          if (required) throw new ModelFormatError(`localStorage has no ${what} for model '${name}'`);
          return undefined;
        }
        return parseModelJSON(v, `localstorage://${name} ${what}`, limits);
      };
      const info = read(keys.info, 'model info', true) as { modelTopologyType?: unknown } | null;
      check(info && typeof info === 'object' && info.modelTopologyType === 'JSON', `localstorage://${name}: the stored model is not a JSON topology`);
      const json: Record<string, unknown> = {};
      const metadata = read(keys.metadata, 'metadata', false);
      if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
        for (const k of ['format', 'generatedBy', 'convertedBy', 'signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature', 'trainingConfig']) {
          if (Object.prototype.hasOwnProperty.call(metadata, k)) json[k] = (metadata as Record<string, unknown>)[k];
        }
      }
      json.modelTopology = read(keys.topology, 'topology', true);
      json.weightsManifest = [{ paths: ['weight_data'], weights: read(keys.weightSpecs, 'weight specs', true) }];
      return {
        json,
        where: `localstorage://${name}`,
        async readWeights(_paths, groupBytes) {
          const total = groupBytes.reduce((a, b) => a + b, 0);
          const s = ls.getItem(keys.weightData);
          if (s === null) throw new ModelFormatError(`localStorage has no weight data for model '${name}'`);
          const expected = 4 * Math.ceil(total / 3);
          check(s.length === expected, `localstorage://${name}: the weight data is ${s.length} base64 characters; the weight specs need ${expected} (${total} bytes)`);
          return fromBase64(s, `localstorage://${name} weight data`);
        },
      };
    },
    { save },
  );
}

// ---- IndexedDB ----

const DB = 'tensorflowjs';
const MODELS = 'models_store';
const INFOS = 'model_info_store';

function idbFactory(): IDBFactory {
  const f = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!f) throw new Error('indexeddb:// needs IndexedDB, which this environment does not have');
  return f;
}

function openDB(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = idbFactory().open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(MODELS, { keyPath: 'modelPath' });
      req.result.createObjectStore(INFOS, { keyPath: 'modelPath' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function indexedDBHandler(name: string): IOHandler {
  if (!name) throw new Error('indexeddb:// needs a model name, e.g. indexeddb://my-model');
  return {
    async save(a: ModelArtifacts): Promise<SaveResult> {
      if (a.modelTopology instanceof ArrayBuffer) throw new Error('save: binary model topologies cannot be saved to IndexedDB');
      const data = joinWeightData(a.weightData);
      const artifacts = { ...a, weightData: data.buffer.byteLength === data.byteLength ? data.buffer : data.slice().buffer };
      const info = artifactsInfo(a);
      const db = await openDB();
      try {
        // One transaction over both stores: the model and its info are written together or not at all.
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction([MODELS, INFOS], 'readwrite');
          tx.objectStore(INFOS).put({ modelPath: name, modelArtifactsInfo: info });
          tx.objectStore(MODELS).put({ modelPath: name, modelArtifacts: artifacts, modelArtifactsInfo: info });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
        });
      } finally {
        db.close();
      }
      return { modelArtifactsInfo: info };
    },
    async load(): Promise<ModelArtifacts> {
      const db = await openDB();
      try {
        const record = await new Promise<unknown>((resolve, reject) => {
          const req = db.transaction(MODELS, 'readonly').objectStore(MODELS).get(name);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        if (!record || typeof record !== 'object') throw new ModelFormatError(`IndexedDB has no model named '${name}'`);
        return (record as { modelArtifacts: ModelArtifacts }).modelArtifacts;
      } finally {
        db.close();
      }
    },
  };
}

// ---- downloads ----

export function downloadsHandler(prefix: string): IOHandler {
  const base = prefix || 'model';
  return {
    async save(a: ModelArtifacts): Promise<SaveResult> {
      const doc = (globalThis as { document?: Document }).document;
      if (!doc || typeof URL.createObjectURL !== 'function') throw new Error('downloads:// needs a browser page (document and URL.createObjectURL)');
      const weightsName = `${base}.weights.bin`;
      const json = modelJSON(a, [{ paths: [`./${weightsName}`], weights: a.weightSpecs ?? [] }]);
      const click = (name: string, blob: Blob) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            const anchor = doc.createElement('a');
            anchor.download = name;
            anchor.href = URL.createObjectURL(blob);
            anchor.dispatchEvent(new MouseEvent('click'));
            resolve();
          }),
        );
      await click(`${base}.json`, new Blob([JSON.stringify(json)], { type: 'application/json' }));
      await click(weightsName, new Blob([joinWeightData(a.weightData) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      return { modelArtifactsInfo: artifactsInfo(a) };
    },
  };
}
