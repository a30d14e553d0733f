// Shared by the handlers that read model.json and then weight files (file://, http, fromFiles,
// localStorage): size-capped JSON, and load() for callers (such as tfjs) that want artifacts.
import { ChangedWhileReading, ModelFormatError, check } from '../errors.js';
import { obj, own, parseJSON } from '../fields.js';
import { DEFAULT_MAX_METADATA_BYTES, scanJSON } from '../jsonscan.js';
import type { ModelArtifacts, ReadLimits, StagedHandler, StagedModel } from '../types.js';
import { DEFAULT_MAX_PARAMETERS, checkManifest } from '../weights.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Decodes and parses model.json bytes after checking their size, and what they would build, against the caps. */
export function parseModelJSON(bytes: Uint8Array | string, where: string, { maxJsonBytes, maxMetadataBytes = DEFAULT_MAX_METADATA_BYTES }: ReadLimits): unknown {
  const size = typeof bytes === 'string' ? bytes.length : bytes.byteLength;
  check(size <= maxJsonBytes, `${where} is ${size} bytes; at most ${maxJsonBytes} are accepted (maxJsonBytes)`);
  scanJSON(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, where, { maxMetadataBytes });
  let text: string;
  if (typeof bytes === 'string') text = bytes;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ModelFormatError(`${where} is not UTF-8 text`);
    }
  }
  return parseJSON(text, where);
}

/** How often a model replaced by saves while being read is read again before giving up. */
const READ_TRIES = 10;

/**
 * `body` on the handler's staged model, released afterwards; read again (after a short pause) when a
 * save replaced the model under it, so the result always comes from one save's files.
 */
export async function withStaged<T>(handler: StagedHandler, limits: ReadLimits, body: (staged: StagedModel) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const staged = await handler.loadStaged(limits);
    try {
      return await body(staged);
    } catch (e) {
      if (!(e instanceof ChangedWhileReading)) throw e;
      if (attempt === READ_TRIES) throw new ModelFormatError(`${e.where} was replaced by another save ${READ_TRIES} times while being read; something keeps saving to it`, { cause: e });
    } finally {
      await staged.release?.();
    }
    await new Promise((r) => setTimeout(r, attempt * Math.random() * 5));
  }
}

/** Artifacts from a staged model, for handler.load() (checked as the loader would check the manifest). */
export async function stagedArtifacts(staged: StagedModel): Promise<ModelArtifacts> {
  const json = obj(staged.json, staged.where);
  const groups = checkManifest(own(json, 'weightsManifest') ?? [], DEFAULT_MAX_PARAMETERS * 4 + 1);
  const bytes = await staged.readWeights(groups.map((g) => g.paths), groups.map((g) => g.bytes));
  const out: ModelArtifacts = {};
  for (const k of ['modelTopology', 'trainingConfig', 'format', 'generatedBy', 'convertedBy', 'signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature']) {
    const v = own(json, k);
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  out.weightSpecs = (own(json, 'weightsManifest') as { weights: [] }[] | undefined)?.flatMap((g) => g.weights) ?? [];
  out.weightData = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
  return out;
}

/** A StagedHandler whose load() also works (for tfjs.loadLayersModel and other artifact consumers). */
export function stagedHandler(loadStaged: StagedHandler['loadStaged'], extra: Partial<StagedHandler> = {}): StagedHandler {
  return {
    ...extra,
    loadStaged,
    load: () => withStaged({ loadStaged }, { maxJsonBytes: 64 * 2 ** 20 }, stagedArtifacts),
  };
}

/** Group byte checks shared by every reader: the files of group g must add up to groupBytes[g]. */
export function checkGroupSizes(paths: string[][], groupBytes: number[], sizeOf: (path: string) => number, where: string): number {
  let total = 0;
  paths.forEach((group, g) => {
    const sizes = group.map(sizeOf);
    const sum = sizes.reduce((a, b) => a + b, 0);
    check(
      sum === groupBytes[g],
      () => `${where}: the files of weight group ${g} (${group.join(', ')}) hold ${sum} bytes but its ${groupBytes[g]} bytes of weights are listed (${sum < groupBytes[g] ? 'too short' : 'too long'})`,
    );
    total += sum;
  });
  return total;
}
