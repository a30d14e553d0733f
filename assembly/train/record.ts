// Readers for the plan header and layer records (word offsets from src/shared/plan.ts).

/** The i32 at word `w` of a record. */
@inline export function word(rec: usize, w: i32): i32 {
  return load<i32>(rec + (<usize>w << 2));
}

/** The byte offset stored at word `w` (unsigned, so arenas past 2 GiB still work). */
@inline export function ptr(rec: usize, w: i32): usize {
  return <usize>load<u32>(rec + (<usize>w << 2));
}

/** The f32 at word `w`. */
@inline export function real(rec: usize, w: i32): f32 {
  return load<f32>(rec + (<usize>w << 2));
}
