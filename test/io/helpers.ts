// Shared by the io tests: capturing artifacts, model.json files, shards and quantized weights.
import { joinWeightData } from '../../src/io/handlers/json.js';
import type * as dfTypes from '../../src/index.js';

type Artifacts = dfTypes.ModelArtifacts;

/** The artifacts a save handler receives (deltaflow's or tfjs's model.save). */
export async function capture(save: (handler: dfTypes.IOHandler) => Promise<unknown>): Promise<Artifacts> {
  let out: Artifacts | undefined;
  await save({
    save: async (a: Artifacts) => {
      out = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } };
    },
  });
  return out!;
}

/** The artifacts' weight data as one byte array (the library's own joiner). */
export const bytesOf = joinWeightData;

/** model.json for artifacts whose weights are stored in `paths` (one group). */
export function modelJSON(a: Artifacts, paths: string[] = ['weights.bin']): Record<string, unknown> {
  const json: Record<string, unknown> = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, weightsManifest: [{ paths, weights: a.weightSpecs }] };
  if (a.trainingConfig) json.trainingConfig = a.trainingConfig;
  if (a.userDefinedMetadata) json.userDefinedMetadata = a.userDefinedMetadata;
  return json;
}

/** Splits bytes at the given offsets: shards group1-shard{i}of{n}.bin as the converter names them. */
export function shard(bytes: Uint8Array, cuts: number[]): { paths: string[]; files: Record<string, Uint8Array> } {
  const bounds = [0, ...cuts, bytes.byteLength];
  const n = bounds.length - 1;
  const files: Record<string, Uint8Array> = {};
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `group1-shard${i + 1}of${n}.bin`;
    paths.push(name);
    files[name] = bytes.slice(bounds[i], bounds[i + 1]);
  }
  return { paths, files };
}

/** float32 → IEEE binary16 bits (round to nearest even; overflow to infinity). */
export function toHalf(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  let mant = u & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** Re-encodes float32 weights quantized, cycling through `kinds` (tfjs's spec: q·scale + min, or float16). */
export function quantize(a: Artifacts, kinds: ('uint8' | 'uint16' | 'float16' | 'none')[]): Artifacts {
  const src = bytesOf(a.weightData);
  let at = 0;
  const parts: Uint8Array[] = [];
  const specs = a.weightSpecs!.map((spec, i) => {
    const n = spec.shape.reduce((x, y) => x * y, 1);
    const bytes = n * 4;
    const values = new Float32Array(src.slice(at, at + bytes).buffer);
    at += bytes;
    const kind = spec.dtype === 'float32' ? kinds[i % kinds.length] : 'none';
    if (kind === 'none') {
      parts.push(new Uint8Array(values.buffer));
      return { ...spec };
    }
    if (kind === 'float16') {
      parts.push(new Uint8Array(Uint16Array.from(values, toHalf).buffer));
      return { ...spec, quantization: { dtype: 'float16' as const } };
    }
    const levels = kind === 'uint8' ? 255 : 65535;
    let min = Math.min(...values);
    const max = Math.max(...values);
    if (max === min) min -= 1;
    const scale = (max - min) / levels;
    const q = Array.from(values, (v) => Math.round((v - min) / scale));
    parts.push(kind === 'uint8' ? Uint8Array.from(q) : new Uint8Array(Uint16Array.from(q).buffer));
    return { ...spec, quantization: { dtype: kind, min, scale } };
  });
  const total = parts.reduce((x, p) => x + p.byteLength, 0);
  const data = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.byteLength;
  }
  return { ...a, weightSpecs: specs, weightData: data.buffer };
}

/** Largest |a − b| / max(|b|, floor) with its index. */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return worst;
}

export const bits = (m: dfTypes.Sequential) => m.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().buffer)));
