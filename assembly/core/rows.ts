// Row gathering: stage a shuffled mini-batch contiguously so the GEMMs see plain row-major input.

/** dst[r] = src[idx[start + r]] for r < count, rows of `cols` floats. */
export function f32_gather_rows(src: usize, cols: i32, idx: usize, start: i32, count: i32, dst: usize): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < count; r++) {
    const i = load<i32>(idx + (<usize>(start + r) << 2));
    memory.copy(dst + <usize>r * rowBytes, src + <usize>i * rowBytes, rowBytes);
  }
}
