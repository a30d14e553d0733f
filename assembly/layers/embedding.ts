// Embedding: each input value is a row index into the table [inputDim, outputDim]; forward gathers rows,
// backward scatter-adds δ into the zeroed table gradient in input order (deterministic, single-threaded).
// TS checks every index before a call; the trap here only guards memory against a bypassed check.
import { L_IN, L_OUT, L_W, L_DW, L_Y, L_ARGS } from "../../src/shared/plan";
import { word, ptr } from "../train/record";

/** The table row of input value v, or a trap: never a read or write outside the table. */
@inline function rowOf(v: f32, vocab: i32): i32 {
  const i = <i32>v;
  if (!(<f32>i == v && i >= 0 && i < vocab)) unreachable();
  return i;
}

export function embedding_forward(rec: usize, x: usize, rows: i32): void {
  const n = rows * word(rec, L_IN), dim = word(rec, L_OUT) / word(rec, L_IN), vocab = word(rec, L_ARGS);
  const table = ptr(rec, L_W), y = ptr(rec, L_Y), rowBytes = <usize>dim << 2;
  for (let p = 0; p < n; p++) {
    const i = rowOf(load<f32>(x + (<usize>p << 2)), vocab);
    memory.copy(y + <usize>p * rowBytes, table + <usize>i * rowBytes, rowBytes);
  }
}

/** dTable = Σ over positions of δ at that position, added to the row its index names; no δ for a layer before. */
export function embedding_backward(rec: usize, x: usize, d: usize, rows: i32): void {
  const n = rows * word(rec, L_IN), dim = word(rec, L_OUT) / word(rec, L_IN), vocab = word(rec, L_ARGS);
  const dTable = ptr(rec, L_DW), rowBytes = <usize>dim << 2;
  memory.fill(dTable, 0, <usize>vocab * rowBytes);
  for (let p = 0; p < n; p++) {
    const i = rowOf(load<f32>(x + (<usize>p << 2)), vocab);
    const dst = dTable + <usize>i * rowBytes, src = d + <usize>p * rowBytes;
    let k = 0;
    for (; k + 4 <= dim; k += 4) {
      const at = <usize>k << 2;
      v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
    }
    for (; k < dim; k++) {
      const at = <usize>k << 2;
      store<f32>(dst + at, load<f32>(dst + at) + load<f32>(src + at));
    }
  }
}
