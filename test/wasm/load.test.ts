// Loading: a module from other sources is refused with a clear error, before anything runs on it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/shared/plan.js';
import { ACT_COUNT, LOSS_COUNT, OPT_COUNT, STAT_COUNT } from '../../src/shared/ids.js';

describe('ready()', () => {
  it('the shipped module carries the layout fingerprint the JavaScript was built with', async () => {
    const bytes = readFileSync(new URL('../../build/deltaflow.wasm', import.meta.url));
    const { instance } = await WebAssembly.instantiate(bytes, { env: { abort() {} } });
    expect((instance.exports.layout_signature as () => number)()).toBe(fingerprint(ACT_COUNT, LOSS_COUNT, OPT_COUNT, STAT_COUNT));
  });

  it('refuses a module whose layout differs', async () => {
    const { vi } = await import('vitest');
    vi.resetModules();
    // A module built "from other sources": it exports memory and a layout_signature of 1.
    const name = (t: string) => [t.length, ...new TextEncoder().encode(t)];
    const section = (id: number, content: number[]) => [id, content.length, ...content];
    const f64one = [0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
    const wat = new Uint8Array([
      ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
      ...section(1, [1, 0x60, 0, 1, 0x7c]), // type: () → f64
      ...section(3, [1, 0]), // one function of that type
      ...section(5, [1, 0, 1]), // one memory of one page
      ...section(7, [2, ...name('memory'), 2, 0, ...name('layout_signature'), 0, 0]),
      ...section(10, [1, 11, 0, 0x44, ...f64one, 0x0b]), // f64.const 1
    ]);
    const load = await import('../../src/wasm/load.js');
    await expect(load.ready({ bytes: wat })).rejects.toThrow(/built from other sources than this JavaScript \(layout \d+\); rebuild both/);
  });
});
