// Checked reads of untrusted JSON: every reader names the field's path and what it should have been.
import { ModelFormatError } from './errors.js';

export type Obj = Record<string, unknown>;

export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x) && !(x instanceof ArrayBuffer);
}

/** A short, bounded rendering of a value for error messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > 60 ? `the string ${JSON.stringify(v.slice(0, 60))}…` : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

function fail(path: string, expected: string, got: unknown): never {
  throw new ModelFormatError(`${path} must be ${expected}, got ${describe(got)}`);
}

/** An own property (never one inherited from Object.prototype, whatever the key). */
export function own(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** The first of `keys` that is present (snake_case first, then the camelCase tfjs also accepts). */
export function field(o: Obj, ...keys: string[]): unknown {
  for (const k of keys) {
    const v = own(o, k);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function obj(x: unknown, path: string): Obj {
  if (!isObj(x)) fail(path, 'an object', x);
  return x;
}

export function arr(x: unknown, path: string, maxLength: number): unknown[] {
  if (!Array.isArray(x)) fail(path, 'an array', x);
  if (x.length > maxLength) throw new ModelFormatError(`${path} has ${x.length} entries; at most ${maxLength} are accepted`);
  return x;
}

export function str(x: unknown, path: string): string {
  if (typeof x !== 'string') fail(path, 'a string', x);
  return x;
}

export function nonEmptyStr(x: unknown, path: string, maxLength = 1024): string {
  if (typeof x !== 'string' || x.length === 0) fail(path, 'a non-empty string', x);
  if (x.length > maxLength) throw new ModelFormatError(`${path} is ${x.length} characters long; at most ${maxLength} are accepted`);
  return x;
}

export function bool(x: unknown, path: string): boolean {
  if (typeof x !== 'boolean') fail(path, 'true or false', x);
  return x;
}

export function finite(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(path, 'a finite number', x);
  return x;
}

/** An integer in [min, max]. */
export function int(x: unknown, path: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) fail(path, `an integer in [${min}, ${max}]`, x);
  return x;
}

/** JSON.parse that turns every failure (syntax, nesting too deep for the stack) into a ModelFormatError. */
export function parseJSON(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Keras's snake_case for a camelCase name ('hardSigmoid' → 'hard_sigmoid'). */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
