// Options objects checked in one place, so a misspelt option is an error instead of silently ignored:
// unknown keys are named with a did-you-mean, Keras's snake_case spellings mean the camelCase option,
// and tfjs/Keras options deltaflow does not have say so, with what to do instead.

/** A tfjs/Keras option deltaflow lacks: what to do instead, and (optionally) which values are harmless. */
export interface Unsupported {
  /** What to do instead, e.g. "clip the weights yourself after fit()". */
  instead: string;
  /** Values that change nothing here (trainable: true, dtype: 'float32'): accepted and dropped. */
  harmless?: (value: unknown) => boolean;
}

export interface OptionSpec<T> {
  /** Every option the function takes; typed against its options interface, so a new option must be listed here too. */
  known: Record<keyof T & string, true>;
  /** Options of tfjs or Keras that deltaflow does not take. */
  unsupported?: Readonly<Record<string, Unsupported>>;
}

/** Keras's spelling of a camelCase option: 'input_shape' → 'inputShape', 'beta_1' → 'beta1'. */
export function camelCase(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * `given` checked against `spec`: a new object with every key in its camelCase form (the caller's
 * object is left as it was). Throws, naming `fn` and the key, on an unknown or unsupported option, or
 * on one option given in both spellings with different values.
 */
export function checkOptions<T extends object>(fn: string, given: T | undefined | null, spec: OptionSpec<T>): T {
  if (given === undefined) return {} as T;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new Error(`${fn}: expected an options object, got ${given === null ? 'null' : Array.isArray(given) ? 'an array' : typeof given}`);
  }
  const known = spec.known as Record<string, true>;
  const out: Record<string, unknown> = {};
  const spelt: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    const name = has(known, key) ? key : camelCase(key);
    if (has(known, name)) {
      if (has(spelt, name) && out[name] !== value) {
        throw new Error(`${fn}: option '${name}' is given twice, as '${spelt[name]}' and '${key}', with different values`);
      }
      out[name] = value;
      spelt[name] = key;
      continue;
    }
    const unsupported = spec.unsupported && (own(spec.unsupported, key) ?? own(spec.unsupported, name));
    if (unsupported) {
      if (unsupported.harmless?.(value)) continue;
      throw new Error(`${fn}: option '${key}' is not supported by deltaflow; ${unsupported.instead}`);
    }
    throw unknownOption(fn, key, Object.keys(known));
  }
  return out as T;
}

/** The error for an unknown key: the closest option as a suggestion, or the list of options. */
function unknownOption(fn: string, key: string, options: string[]): Error {
  const guess = suggest(key, options);
  if (guess !== undefined) return new Error(`${fn}: unknown option '${key}' — did you mean '${guess}'?`);
  return new Error(`${fn}: unknown option '${key}'; its options are ${options.length ? [...options].sort().join(', ') : 'none'}`);
}

/** The option closest to `key` (in either spelling, ignoring case), if one is close enough to be a typo. */
export function suggest(key: string, options: readonly string[]): string | undefined {
  const forms = [key, camelCase(key)].map((k) => k.toLowerCase());
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of options) {
    const o = option.toLowerCase();
    const d = Math.min(...forms.map((f) => editDistance(f, o)));
    if (d < bestDistance && d <= tolerance(option)) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}

/** Typos tolerated for an option name of this length: one for short names, up to three for long ones. */
function tolerance(option: string): number {
  return option.length <= 4 ? 1 : option.length <= 8 ? 2 : 3;
}

/** Edits (insert, delete, substitute, swap two neighbours) turning a into b: optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0][j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

function has(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function own<V>(o: Readonly<Record<string, V>>, key: string): V | undefined {
  return has(o, key) ? o[key] : undefined;
}
