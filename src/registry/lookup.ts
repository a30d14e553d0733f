// Name resolution shared by every registry: tfjs camelCase, Keras snake_case and short forms all
// reduce to one key, and an unknown name gets an error that lists the valid ones.

/** 'binary_crossentropy', 'binaryCrossentropy' and 'binary-crossentropy' all become 'binarycrossentropy'. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

export interface Named {
  /** The canonical (tfjs camelCase) name. */
  readonly name: string;
  /** Other accepted spellings (Keras names, short forms); snake/camel variants need not be listed. */
  readonly aliases?: readonly string[];
}

/** Builds a name → row table; `kind` names the table in error messages ('activation', 'loss', …). */
export function registry<T extends Named>(kind: string, rows: readonly T[], plural = `${kind}s`): { get(name: unknown): T; rows: readonly T[]; names: string[] } {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    for (const n of [row.name, ...(row.aliases ?? [])]) {
      const key = nameKey(n);
      if (byKey.has(key)) throw new Error(`duplicate ${kind} name '${n}'`);
      byKey.set(key, row);
    }
  }
  const names = rows.map((r) => r.name);
  return {
    rows,
    names,
    get(name: unknown): T {
      const row = typeof name === 'string' ? byKey.get(nameKey(name)) : undefined;
      if (!row) throw new Error(`Unknown ${kind} ${JSON.stringify(name)}. Valid ${plural}: ${names.join(', ')}`);
      return row;
    },
  };
}
