// The Heap: the one place that makes views over WASM memory. Views die when memory grows, so every
// accessor re-derives them from the current buffer; blocks are 64-byte aligned for SIMD and cache lines.
// Only the thread that owns the Heap grows memory (worker threads never allocate).

const ALIGN = 64;
const PAGE = 65536;
/** WebAssembly's 32-bit memories end at 4 GiB (65,536 pages). */
export const MAX_MEMORY_BYTES = 65536 * PAGE;

interface Block {
  start: number;
  size: number;
}

export class Heap {
  private buffer: ArrayBuffer;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private f64View: Float64Array;
  private u8View: Uint8Array;
  private readonly free_: Block[] = [];
  private readonly used = new Map<number, number>();
  private top: number;

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.top = alignUp(base);
    this.buffer = memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.f64View = new Float64Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }

  /**
   * Reserves `bytes` (64-byte aligned, contents undefined) and returns its byte offset. When memory
   * cannot hold it, an Error names `what` and the bytes, and nothing is reserved.
   */
  alloc(bytes: number, what = 'a buffer'): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new Error(`cannot allocate ${bytes} bytes for ${what}`);
    const size = alignUp(Math.max(bytes, 1));
    for (let i = 0; i < this.free_.length; i++) {
      const b = this.free_[i];
      if (b.size < size) continue;
      const ptr = b.start;
      if (b.size === size) this.free_.splice(i, 1);
      else {
        b.start += size;
        b.size -= size;
      }
      this.used.set(ptr, size);
      return ptr;
    }
    const ptr = this.top;
    this.ensure(ptr + size, size, what);
    this.top = ptr + size;
    this.used.set(ptr, size);
    return ptr;
  }

  /** Returns a block to the heap; freeing twice or freeing a foreign offset is an error. */
  free(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`Heap.free: ${ptr} is not an allocated block`);
    this.used.delete(ptr);
    let i = 0;
    while (i < this.free_.length && this.free_[i].start < ptr) i++;
    this.free_.splice(i, 0, { start: ptr, size });
    // Coalesce with the neighbours, then give a trailing free block back to `top`.
    if (i + 1 < this.free_.length && ptr + size === this.free_[i + 1].start) {
      this.free_[i].size += this.free_[i + 1].size;
      this.free_.splice(i + 1, 1);
    }
    if (i > 0 && this.free_[i - 1].start + this.free_[i - 1].size === ptr) {
      this.free_[i - 1].size += this.free_[i].size;
      this.free_.splice(i, 1);
      i--;
    }
    const last = this.free_[this.free_.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      this.free_.pop();
    }
  }

  /** Bytes currently handed out (for tests and diagnostics). */
  get allocatedBytes(): number {
    let sum = 0;
    for (const s of this.used.values()) sum += s;
    return sum;
  }

  /** Size of linear memory in bytes. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  private ensure(end: number, size: number, what: string): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const cannot = (why: string) =>
      new Error(`cannot allocate ${formatBytes(size)} for ${what}: ${why} (WebAssembly memory is ${formatBytes(have)}, ${formatBytes(this.allocatedBytes)} of it in use)`);
    if (end > MAX_MEMORY_BYTES) throw cannot(`that would take memory past WebAssembly's 4 GiB limit`);
    // Grow at least geometrically, so a sequence of allocations does not grow page by page.
    const need = Math.ceil((end - have) / PAGE);
    const pages = Math.max(need, Math.min(Math.ceil(have / PAGE / 2), 1024));
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(need);
      } catch {
        throw cannot('the runtime refused to grow memory that far');
      }
    }
    this.reload();
  }

  /**
   * Views are re-derived where memory grows (ensure): nothing else grows it (the kernels never allocate,
   * workers never grow it). Reading `memory.buffer` on every access instead cost ~20 ns, a twentieth of
   * a tiny model's epoch. A buffer detached all the same (byteLength 0) is still caught here.
   */
  private refresh(): void {
    if (this.buffer.byteLength === 0) this.reload();
  }

  private reload(): void {
    // A shared memory (the threaded build) is not detached by growth: `memory.buffer` is a new, longer
    // SharedArrayBuffer from then on.
    if (this.buffer === this.memory.buffer) return;
    this.buffer = this.memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.f64View = new Float64Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }

  /** A live view of `len` floats at byte offset `ptr`; valid until the next allocation. */
  f32(ptr: number, len: number): Float32Array {
    this.refresh();
    return this.f32View.subarray(ptr >>> 2, (ptr >>> 2) + len);
  }

  i32(ptr: number, len: number): Int32Array {
    this.refresh();
    return this.i32View.subarray(ptr >>> 2, (ptr >>> 2) + len);
  }

  f64(ptr: number, len: number): Float64Array {
    this.refresh();
    return this.f64View.subarray(ptr >>> 3, (ptr >>> 3) + len);
  }

  u8(ptr: number, len: number): Uint8Array {
    this.refresh();
    return this.u8View.subarray(ptr, ptr + len);
  }

  /** Copies floats into memory at `ptr`. */
  writeF32(ptr: number, data: ArrayLike<number>): void {
    this.refresh();
    this.f32View.set(data, ptr >>> 2);
  }

  /** Copies `len` floats out of memory into a fresh array the caller owns. */
  readF32(ptr: number, len: number): Float32Array {
    return this.f32(ptr, len).slice();
  }
}

/** 1536 → '1.5 KiB', 5e9 → '4.66 GiB': sizes in messages. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
