// What saving and loading need from a Sequential beyond weights and optimizer state: the generator
// states (the model's shuffling stream and each dropout layer's mask stream).
import type { Sequential } from '../model/sequential.js';

export interface GeneratorStates {
  /** The model's own stream: shuffling, initializers, forks for unseeded dropout layers. */
  model: number[];
  /** Each layer's own stream by layer name (dropout layers only). */
  layers: Record<string, number[]>;
}

/** A copy of every generator state of a built model, keyed by layer name for the file. */
export function generatorStates(m: Sequential): GeneratorStates {
  const states = m.getGeneratorStates();
  const layers: Record<string, number[]> = {};
  states.layers.forEach((w, i) => {
    const name = m.layers[i].name;
    if (w && name) layers[name] = Array.from(w);
  });
  return { model: Array.from(states.model), layers };
}

/** Restores generator states read from a file (already checked: 4 u32 words each, not all zero). */
export function setGeneratorStates(m: Sequential, s: { model?: number[]; layers?: Record<string, number[]> }): void {
  const byName = s.layers ?? {};
  m.setGeneratorStates({
    model: s.model,
    layers: m.layers.map((l) => (l.name !== undefined && Object.prototype.hasOwnProperty.call(byName, l.name) ? byName[l.name] : null)),
  });
}

// userDefinedMetadata travels with a model without the model class knowing about it.
const metadata = new WeakMap<object, { [key: string]: {} }>();

/** The userDefinedMetadata a model was loaded with (or was given with io.setUserDefinedMetadata). */
export function getUserDefinedMetadata(m: Sequential): { [key: string]: {} } | undefined {
  const v = metadata.get(m);
  return v === undefined ? undefined : structuredCopy(v);
}

/** Attaches userDefinedMetadata (a JSON-serializable plain object) that model.save() then stores. */
export function setUserDefinedMetadata(m: Sequential, value: { [key: string]: {} } | undefined): void {
  if (value === undefined) metadata.delete(m);
  else metadata.set(m, checkMetadata(value, 'userDefinedMetadata'));
}

/** Attaches metadata the loader has already checked and copied (no second copy). */
export function adoptUserDefinedMetadata(m: Sequential, checked: { [key: string]: {} }): void {
  metadata.set(m, checked);
}

/** A JSON copy of a plain object (one stringify, one parse), or an Error naming why it cannot be stored. */
export function checkMetadata(value: unknown, what: string, maxBytes = Infinity): { [key: string]: {} } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} must be a plain object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new Error(`${what} is not JSON-serializable: ${e instanceof Error ? e.message : String(e)}`);
  }
  const bytes = maxBytes === Infinity ? 0 : utf8Bytes(text);
  if (bytes > maxBytes) throw new Error(`${what} is ${bytes} bytes of JSON; at most ${maxBytes} are accepted (maxMetadataBytes)`);
  return JSON.parse(text);
}

/** UTF-8 length of a string, without encoding it. */
function utf8Bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // 2 bytes below U+0800, 3 above, 4 for a surrogate pair (2 units): 1 or 2 more than a unit's 1.
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}
function structuredCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}
