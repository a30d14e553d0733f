// A namespace that loads on first use: what the Node entry exports as df.io, df.data, df.plot and
// df.text. Every read (a property, `in`, its keys) goes to the loaded object; nothing can be written.

/** An object that reads as `load()`'s result, calling `load` at its first read. */
export function lazyNamespace<T extends object>(load: () => T): T {
  let loaded: T | undefined;
  const real = (): T => (loaded ??= load());
  // Node's console.log and REPL show a proxy's target: this one shows the loaded namespace instead.
  const target = Object.create(null) as T;
  Object.defineProperty(target, Symbol.for('nodejs.util.inspect.custom'), {
    value: (_depth: number, options: object, inspect: (value: unknown, options: object) => string) => inspect(real(), options),
    configurable: true,
  });
  return new Proxy(target, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // Reported configurable: a proxy may not claim a non-configurable property its (empty) target lacks.
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { value: Reflect.get(real(), key), writable: false, enumerable: d.enumerable, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}
