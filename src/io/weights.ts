// Weights manifests and weight bytes: every entry checked (name, shape, dtype, quantization, sizes)
// before anything is read or allocated; decoding from tfjs's spec (tfjs-core io_utils decodeWeights):
// float32 / int32 little-endian, or quantized as uint8 / uint16 (value = q·scale + min) or float16.
import { ModelFormatError, check } from './errors.js';
import { arr, describe, finite, int, nonEmptyStr, obj, own } from './fields.js';
import { checkWeightPath } from './paths.js';
import type { WeightsManifestEntry } from './types.js';

/** The default cap on a model's parameters (2^28 floats, 1 GiB). */
export const DEFAULT_MAX_PARAMETERS = 2 ** 28;
const MAX_RANK = 8;
const MAX_ENTRIES = 1 << 16;
const MAX_GROUPS = 1 << 12;
const MAX_PATHS = 1 << 12;
const MAX_DIM = 2 ** 31 - 1;

export interface CheckedEntry {
  name: string;
  shape: number[];
  /** Number of values. */
  size: number;
  dtype: 'float32' | 'int32';
  group: 'model' | 'optimizer';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min: number; scale: number };
  /** Stored bytes. */
  bytes: number;
}

export interface CheckedGroup {
  paths: string[];
  entries: CheckedEntry[];
  bytes: number;
}

const QUANT_BYTES = { uint8: 1, uint16: 2, float16: 2 } as const;

/** Tracks names and the running total of values across a whole manifest. */
class Budget {
  readonly names = new Set<string>();
  values = 0;
  constructor(readonly maxValues: number) {}
}

function checkEntry(x: unknown, path: string, budget: Budget): CheckedEntry {
  const e = obj(x, path);
  const name = nonEmptyStr(own(e, 'name'), `${path}.name`);
  check(!budget.names.has(name), `the manifest lists the weight '${name}' twice (${path})`);
  budget.names.add(name);
  const shape = arr(own(e, 'shape'), `${path}.shape`, MAX_RANK).map((d, i) => int(d, `${path}.shape[${i}]`, 0, MAX_DIM));
  let size = 1;
  for (const d of shape) {
    size *= d;
    if (size > budget.maxValues) break;
  }
  check(
    size <= budget.maxValues && budget.values + size <= budget.maxValues,
    () => `weight '${name}' has shape [${shape.join(', ')}]: the manifest would hold more than ${budget.maxValues} values (the cap is set by maxParameters)`,
  );
  budget.values += size;
  const dtype = own(e, 'dtype');
  if (dtype !== 'float32' && dtype !== 'int32') {
    const known = dtype === 'bool' || dtype === 'string' || dtype === 'complex64';
    throw new ModelFormatError(`weight '${name}' has dtype ${describe(dtype)}: ${known ? 'deltaflow reads only float32 and int32 weights' : "expected 'float32' or 'int32'"}`);
  }
  const group = own(e, 'group');
  if (group !== undefined && group !== null && group !== 'model' && group !== 'optimizer') {
    throw new ModelFormatError(`weight '${name}' has group ${describe(group)}: expected 'model' or 'optimizer'`);
  }
  const out: CheckedEntry = { name, shape, size, dtype, group: group === 'optimizer' ? 'optimizer' : 'model', bytes: size * 4 };
  const q = own(e, 'quantization');
  if (q !== undefined && q !== null) {
    const qo = obj(q, `weight '${name}' quantization`);
    const qd = own(qo, 'dtype');
    if (qd !== 'uint8' && qd !== 'uint16' && qd !== 'float16') {
      throw new ModelFormatError(`weight '${name}' is quantized as ${describe(qd)}: expected 'uint8', 'uint16' or 'float16'`);
    }
    let min = 0;
    let scale = 1;
    if (qd === 'float16') {
      check(dtype === 'float32', `weight '${name}' is quantized as float16, which only float32 weights can be`);
    } else {
      min = finite(own(qo, 'min'), `weight '${name}' quantization.min`);
      scale = finite(own(qo, 'scale'), `weight '${name}' quantization.scale`);
    }
    out.quantization = { dtype: qd, min, scale };
    out.bytes = size * QUANT_BYTES[qd];
  }
  return out;
}

/** Checks a flat list of weight specs (ModelArtifacts.weightSpecs). */
export function checkSpecs(x: unknown, path: string, maxValues: number): CheckedEntry[] {
  const budget = new Budget(maxValues);
  return arr(x, path, MAX_ENTRIES).map((e, i) => checkEntry(e, `${path}[${i}]`, budget));
}

/** Checks a model.json weightsManifest: groups, their paths (relative, unique) and their entries. */
export function checkManifest(x: unknown, maxValues: number): CheckedGroup[] {
  const budget = new Budget(maxValues);
  const seen = new Set<string>();
  let entries = 0;
  return arr(x, 'weightsManifest', MAX_GROUPS).map((g, gi) => {
    const go = obj(g, `weightsManifest[${gi}]`);
    const paths = arr(own(go, 'paths'), `weightsManifest[${gi}].paths`, MAX_PATHS).map((p, pi) => {
      const clean = checkWeightPath(p, `weightsManifest[${gi}].paths[${pi}]`);
      check(!seen.has(clean), `weightsManifest lists the file ${JSON.stringify(clean)} twice`);
      seen.add(clean);
      return clean;
    });
    const list = arr(own(go, 'weights'), `weightsManifest[${gi}].weights`, MAX_ENTRIES);
    entries += list.length;
    check(entries <= MAX_ENTRIES, `weightsManifest lists more than ${MAX_ENTRIES} weights`);
    const checked = list.map((e, i) => checkEntry(e, `weightsManifest[${gi}].weights[${i}]`, budget));
    const bytes = checked.reduce((n, e) => n + e.bytes, 0);
    check(paths.length > 0 || bytes === 0, `weightsManifest[${gi}] lists weights but no files to read them from`);
    return { paths, entries: checked, bytes };
  });
}

// ---- bytes ----

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isArrayBuffer(x: unknown): x is ArrayBuffer {
  return x instanceof ArrayBuffer || Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

/** Byte length of a weightData value (ArrayBuffer, ArrayBuffer[] or a view), or a ModelFormatError. */
function pieces(w: unknown): Uint8Array[] {
  if (isArrayBuffer(w)) return [new Uint8Array(w)];
  if (ArrayBuffer.isView(w)) return [new Uint8Array(w.buffer, w.byteOffset, w.byteLength)];
  if (Array.isArray(w)) {
    check(w.length <= MAX_ENTRIES, `weightData is an array of ${w.length} buffers; at most ${MAX_ENTRIES} are accepted`);
    return w.map((b, i) => {
      if (isArrayBuffer(b)) return new Uint8Array(b);
      if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      throw new ModelFormatError(`weightData[${i}] must be an ArrayBuffer, got ${describe(b)}`);
    });
  }
  throw new ModelFormatError(`weightData must be an ArrayBuffer or an array of them, got ${describe(w)}`);
}

/** The artifacts' weight bytes as one array, after checking their length is exactly `expected`. */
export function weightBytes(w: unknown, expected: number): Uint8Array {
  if (w === undefined || w === null) {
    check(expected === 0, `the artifacts have no weightData, but the weight specs need ${expected} bytes`);
    return new Uint8Array(0);
  }
  const parts = pieces(w);
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  check(total === expected, () => `the weight data is ${total} bytes but the weight specs need ${expected} (${total < expected ? 'too short' : 'too long'})`);
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Reads a weight stream into exactly `expected` bytes, refusing more or fewer. */
export async function streamBytes(stream: ReadableStream<ArrayBuffer | Uint8Array>, expected: number): Promise<Uint8Array> {
  const out = new Uint8Array(expected);
  let at = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = isArrayBuffer(value) ? new Uint8Array(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : undefined;
      check(chunk, `the weight stream yielded ${describe(value)} instead of bytes`);
      check(at + chunk.byteLength <= expected, `the weight stream is longer than the ${expected} bytes the weight specs need`);
      out.set(chunk, at);
      at += chunk.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  check(at === expected, `the weight stream ended after ${at} bytes; the weight specs need ${expected}`);
  return out;
}

let halfTable: Float32Array | undefined;

/** IEEE 754 binary16 → float32 for every bit pattern. */
function halfToFloat(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) t[h] = sign * frac * 2 ** -24;
    else if (exp === 31) t[h] = frac ? NaN : sign * Infinity;
    else t[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return (halfTable = t);
}

/** Decodes one entry at `offset`; float32 values must be finite (the message names the weight and index). */
export function decodeEntry(bytes: Uint8Array, offset: number, e: CheckedEntry): Float32Array | Int32Array {
  const n = e.size;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, e.bytes);
  let out: Float32Array | Int32Array;
  const q = e.quantization;
  if (!q) {
    if (LITTLE_ENDIAN && (bytes.byteOffset + offset) % 4 === 0) {
      const src = e.dtype === 'float32' ? new Float32Array(bytes.buffer, bytes.byteOffset + offset, n) : new Int32Array(bytes.buffer, bytes.byteOffset + offset, n);
      out = src.slice();
    } else if (e.dtype === 'float32') {
      out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    } else {
      out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
    }
  } else if (q.dtype === 'float16') {
    const table = halfToFloat();
    const f = new Float32Array(n);
    for (let i = 0; i < n; i++) f[i] = table[view.getUint16(i * 2, true)];
    out = f;
  } else {
    const get = q.dtype === 'uint8' ? (i: number) => view.getUint8(i) : (i: number) => view.getUint16(i * 2, true);
    if (e.dtype === 'float32') {
      const f = new Float32Array(n);
      for (let i = 0; i < n; i++) f[i] = get(i) * q.scale + q.min;
      out = f;
    } else {
      const v = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const r = Math.round(get(i) * q.scale + q.min);
        check(Number.isFinite(r) && r >= -(2 ** 31) && r < 2 ** 31, () => `weight '${e.name}'[${i}] dequantizes to ${r}, outside int32`);
        v[i] = r;
      }
      out = v;
    }
  }
  if (out instanceof Float32Array) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(out[i])) throw new ModelFormatError(`weight '${e.name}' holds ${out[i]} at index ${i}${q ? ` (after ${q.dtype} dequantization)` : ''}: weights must be finite`);
    }
  }
  return out;
}

/** Encodes float32/int32 tensors back to back, little-endian, with their manifest entries. */
export function encodeWeights(list: { name: string; shape: number[]; data: Float32Array | Int32Array; group?: 'optimizer' }[]): {
  specs: WeightsManifestEntry[];
  data: ArrayBuffer;
} {
  const total = list.reduce((n, w) => n + w.data.length * 4, 0);
  const data = new ArrayBuffer(total);
  const view = new DataView(data);
  const bytes = new Uint8Array(data);
  let at = 0;
  const specs = list.map((w) => {
    const dtype = w.data instanceof Float32Array ? 'float32' : 'int32';
    if (LITTLE_ENDIAN) bytes.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), at);
    else for (let i = 0; i < w.data.length; i++) dtype === 'float32' ? view.setFloat32(at + i * 4, w.data[i], true) : view.setInt32(at + i * 4, w.data[i], true);
    at += w.data.length * 4;
    const spec: WeightsManifestEntry = { name: w.name, shape: [...w.shape], dtype };
    if (w.group) spec.group = w.group;
    return spec;
  });
  return { specs, data };
}
