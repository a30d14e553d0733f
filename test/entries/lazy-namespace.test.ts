// lazyNamespace: loads on the first read, once, and reads as the loaded object afterwards; nothing writes.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lazyNamespace } from '../../src/entries/lazy-namespace.js';

function counted() {
  const real = { a: 1, f: (x: number) => x * 2, nested: { b: 2 } };
  let loads = 0;
  const ns = lazyNamespace(() => (loads++, real));
  return { real, ns, loads: () => loads };
}

describe('lazyNamespace', () => {
  it('does not load until read, then loads once', () => {
    const { ns, loads } = counted();
    expect(loads()).toBe(0);
    expect(ns.a).toBe(1);
    expect(ns.f(3)).toBe(6);
    expect(ns.nested.b).toBe(2);
    expect(loads()).toBe(1);
  });

  it('answers keys, `in`, entries and descriptors as the loaded object', () => {
    const { ns, real, loads } = counted();
    expect(Object.keys(ns)).toEqual(['a', 'f', 'nested']);
    expect(loads()).toBe(1);
    expect('f' in ns).toBe(true);
    expect('g' in ns).toBe(false);
    expect(Object.fromEntries(Object.entries(ns))).toEqual(real);
    expect(Object.getOwnPropertyDescriptor(ns, 'a')).toEqual({ value: 1, writable: false, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(ns, 'missing')).toBeUndefined();
    expect({ ...ns }).toEqual(real);
  });

  it('refuses writes, definitions and deletions, as a module namespace does, and leaves the loaded object as it was', () => {
    const { ns, real } = counted();
    expect(() => {
      (ns as Record<string, unknown>).a = 2;
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(ns, 'z', { value: 1 })).toThrow(TypeError);
    expect(() => delete (ns as Record<string, unknown>).a).toThrow(TypeError);
    expect(real).toEqual({ a: 1, f: real.f, nested: { b: 2 } });
  });

  it("shows the loaded object in Node's inspect (console.log, the REPL)", () => {
    const { ns } = counted();
    expect(inspect(ns)).toBe(inspect({ a: 1, f: ns.f, nested: { b: 2 } }));
  });

  it('passes on what loading throws, and tries again at the next read', () => {
    let fail = true;
    const ns = lazyNamespace(() => {
      if (fail) throw new Error('extras.js is missing');
      return { a: 1 };
    });
    expect(() => ns.a).toThrow('extras.js is missing');
    fail = false;
    expect(ns.a).toBe(1);
  });
});
