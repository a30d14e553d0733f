// The opt-in relaxed-SIMD build, build/deltaflow.relaxed.wasm: the same module compiled with relaxed-simd,
// so the GEMM microkernels fuse each multiply-add (f32x4.relaxed_madd: one rounding where the CPU has FMA,
// mul + add where it has not). Faster where the CPU fuses, but its results are not bit-identical to the
// default build's, nor across CPUs; so it runs only when asked for (df.ready({ relaxedSimd: true })) and
// the runtime has relaxed SIMD, and otherwise, after one warning, the default build runs.

import type { KernelExports } from './exports.js';
import { relaxedWasmUrl } from './location.js';

/** The relaxed-SIMD options of df.ready(). */
export interface RelaxedSimdOptions {
  /**
   * Use the relaxed-SIMD build (fused multiply-add in the matrix products) where the runtime supports
   * relaxed SIMD (Chrome and Edge 114+, Node 22+; Node 20 with `--experimental-wasm-relaxed-simd`), else
   * the default build, with one console warning. Its results differ from the default build's, and between
   * CPUs, in the last bits; the default build's are identical everywhere. Applies to the first ready().
   */
  relaxedSimd?: boolean;
  /** Where the relaxed build is, when not next to the package (`deltaflow/deltaflow.relaxed.wasm`): its URL, its bytes or a compiled module. */
  relaxedSimdWasm?: string | URL | BufferSource | WebAssembly.Module;
}

/** Which build runs: 'simd128' (the default, bit-identical everywhere) or 'relaxed-simd' (opted in). */
export type WasmSimd = 'simd128' | 'relaxed-simd';

// (module (func (param v128) (result v128) local.get 0 local.get 0 local.get 0 f32x4.relaxed_madd)):
// valid only where the runtime has relaxed SIMD (f32x4.relaxed_madd is 0xfd 0x105, LEB128 0x85 0x02).
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7b, 0x01, 0x7b, // type section: (v128) → v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0xfd, 0x85, 0x02, 0x0b, // code: no locals, the body
]);

let supported: boolean | undefined;
let warned = false;

/** Whether this runtime runs relaxed-SIMD WebAssembly (it validates a tiny module using f32x4.relaxed_madd). */
export function relaxedSimdSupported(): boolean {
  if (supported === undefined) {
    try {
      supported = typeof WebAssembly === 'object' && WebAssembly.validate(PROBE);
    } catch {
      supported = false;
    }
  }
  return supported;
}

/**
 * Whether ready() loads the relaxed build: options ask for it and the runtime has relaxed SIMD. When it
 * has not, says so once (console.warn) and returns false. Throws on option values it cannot use.
 */
export function useRelaxedSimd(options: RelaxedSimdOptions): boolean {
  const { relaxedSimd, relaxedSimdWasm } = options;
  if (relaxedSimd !== undefined && typeof relaxedSimd !== 'boolean') {
    throw new TypeError(`deltaflow: relaxedSimd must be true or false, got ${describe(relaxedSimd)}`);
  }
  if (relaxedSimdWasm !== undefined) {
    if (!isUrl(relaxedSimdWasm) && !isBytes(relaxedSimdWasm) && !isModule(relaxedSimdWasm)) {
      throw new TypeError(
        `deltaflow: relaxedSimdWasm must be the relaxed build's URL (string or URL), its bytes (ArrayBuffer or typed array) or a WebAssembly.Module, got ${describe(relaxedSimdWasm)}`,
      );
    }
    if (relaxedSimd === undefined) throw new Error('deltaflow: relaxedSimdWasm is given but relaxedSimd is not: pass relaxedSimd: true to use the relaxed-SIMD build');
  }
  if (!relaxedSimd) return false;
  if (relaxedSimdSupported()) return true;
  if (!warned) {
    warned = true;
    console.warn(
      'deltaflow: relaxedSimd was asked for, but this runtime has no WebAssembly relaxed SIMD; running the default SIMD build instead. ' +
        'Relaxed SIMD is on by default in Chrome and Edge 114+ and Node 22+; Node 20 needs `node --experimental-wasm-relaxed-simd`.',
    );
  }
  return false;
}

/** The relaxed build as a module: from `source` (relaxedSimdWasm) or the file next to the package; `read` loads a URL's bytes. */
export async function relaxedSimdModule(source: RelaxedSimdOptions['relaxedSimdWasm'], read: (url: string | URL) => Promise<BufferSource>): Promise<WebAssembly.Module> {
  if (isModule(source)) return source;
  try {
    return await WebAssembly.compile(isBytes(source) ? source : await read(source ?? relaxedWasmUrl()));
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/^deltaflow: /, '') : String(e);
    throw new Error(`deltaflow: could not load the relaxed-SIMD build (${message}); pass its location as relaxedSimdWasm, or leave out relaxedSimd`, { cause: e });
  }
}

/** 'relaxed-simd' for the relaxed build (which alone exports simd_relaxed), else 'simd128'. */
export function simdOf(kernels: KernelExports): WasmSimd {
  return typeof kernels.simd_relaxed === 'function' ? 'relaxed-simd' : 'simd128';
}

// By tag, not instanceof: modules and buffers from another realm (a vm context, an iframe) are fine.
const tag = (x: unknown) => Object.prototype.toString.call(x);
export const isModule = (x: unknown): x is WebAssembly.Module => tag(x) === '[object WebAssembly.Module]';
const isBytes = (x: unknown): x is BufferSource => ArrayBuffer.isView(x) || tag(x) === '[object ArrayBuffer]';
const isUrl = (x: unknown): x is string | URL => typeof x === 'string' || tag(x) === '[object URL]';

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'object') return tag(x).slice(8, -1);
  return `${typeof x} ${String(x)}`;
}
