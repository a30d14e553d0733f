// Row gathering: stage a shuffled mini-batch contiguously so the GEMMs see plain row-major input.

/** dst[r] = src[idx[start + r]] for r < count, rows of `cols` floats. */
export function f32_gather_rows(src: usize, cols: i32, idx: usize, start: i32, count: i32, dst: usize): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < count; r++) {
    const i = load<i32>(idx + (<usize>(start + r) << 2));
    memory.copy(dst + <usize>r * rowBytes, src + <usize>i * rowBytes, rowBytes);
  }
}

/** out = a ⊙ b over n floats (dropout's mask, forward and backward). */
export function f32_vmul(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}
