import { describe, expect, it } from 'vitest';
import { Heap } from '../../src/wasm/heap.js';

const fresh = () => new Heap(new WebAssembly.Memory({ initial: 1, maximum: 1000 }), 1000);

describe('Heap', () => {
  it('hands out 64-byte aligned, non-overlapping blocks', () => {
    const heap = fresh();
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    const c = heap.alloc(1);
    for (const p of [a, b, c]) expect(p % 64).toBe(0);
    expect(a).toBeGreaterThanOrEqual(1000);
    expect(b).toBeGreaterThanOrEqual(a + 10);
    expect(c).toBeGreaterThanOrEqual(b + 100);
  });

  it('reuses freed blocks and coalesces neighbours', () => {
    const heap = fresh();
    const a = heap.alloc(64);
    const b = heap.alloc(64);
    const c = heap.alloc(64);
    heap.free(a);
    heap.free(b);
    // a and b merged: a 128-byte request fits where they were.
    expect(heap.alloc(128)).toBe(a);
    heap.free(c);
    expect(heap.allocatedBytes).toBe(128);
  });

  it('rejects double and foreign frees', () => {
    const heap = fresh();
    const a = heap.alloc(8);
    heap.free(a);
    expect(() => heap.free(a)).toThrow(/not an allocated block/);
    expect(() => heap.free(12345)).toThrow(/not an allocated block/);
  });

  it('grows memory and re-derives views after growth', () => {
    const heap = fresh();
    const a = heap.alloc(16);
    heap.f32(a, 4).set([1, 2, 3, 4]);
    const before = heap.memoryBytes;
    const big = heap.alloc(5 * 65536);
    expect(heap.memoryBytes).toBeGreaterThan(before);
    // The old view is detached by growth; a new one sees the same data.
    expect(Array.from(heap.f32(a, 4))).toEqual([1, 2, 3, 4]);
    heap.f32(big, 5 * 16384).fill(7);
    expect(heap.readF32(big + 4 * (5 * 16384 - 1), 1)[0]).toBe(7);
  });

  it('a shared memory (threaded build), which growth does not detach, gets views over its new length', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 1000, shared: true }), 1000);
    const a = heap.alloc(16);
    heap.f32(a, 4).set([1, 2, 3, 4]);
    const big = heap.alloc(5 * 65536);
    heap.f32(big, 5 * 16384).fill(7);
    expect(heap.readF32(big + 4 * (5 * 16384 - 1), 1)[0]).toBe(7);
    expect(Array.from(heap.f32(a, 4))).toEqual([1, 2, 3, 4]);
  });

  it('memory grown by anyone else is still seen: the detached views are re-derived', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1000 });
    const heap = new Heap(memory, 1000);
    const a = heap.alloc(16);
    heap.f32(a, 4).set([1, 2, 3, 4]);
    memory.grow(2);
    expect(Array.from(heap.f32(a, 4))).toEqual([1, 2, 3, 4]);
    expect(heap.u8(3 * 65536 - 1, 1).length).toBe(1);
  });

  it('keeps memory bounded over many alloc/free cycles', () => {
    const heap = fresh();
    for (let i = 0; i < 1000; i++) {
      const blocks = [heap.alloc(1000 + (i % 7) * 300), heap.alloc(50_000), heap.alloc(10)];
      for (const b of blocks.reverse()) heap.free(b);
    }
    expect(heap.allocatedBytes).toBe(0);
    expect(heap.memoryBytes).toBeLessThanOrEqual(4 * 65536);
  });
});
