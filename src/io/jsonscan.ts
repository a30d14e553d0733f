// One linear pass over model.json's bytes before JSON.parse: a 60 MB file of 20 million `[]` parses
// into gigabytes of objects, so what JSON.parse would build is measured (and refused) first. Only
// ASCII bytes are structural in JSON, and UTF-8 never uses them inside a multi-byte character.
import { ModelFormatError } from './errors.js';

export interface JsonLimits {
  /** Largest top-level userDefinedMetadata, in bytes of JSON as written. */
  maxMetadataBytes: number;
}

/** userDefinedMetadata is stored as written; like a layer's config it should stay small. */
export const DEFAULT_MAX_METADATA_BYTES = 2 ** 20;
/** Arrays and objects outside userDefinedMetadata: a big model's topology and manifest hold thousands. */
export const MAX_CONTAINERS = 2 ** 20;
/** Values (array elements and object members) outside userDefinedMetadata, for the same reason. */
export const MAX_VALUES = 2 ** 22;
/** Nesting depth: tfjs and Keras files nest about ten deep. */
export const MAX_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const METADATA = 'userDefinedMetadata';

const METADATA_BYTES = new TextEncoder().encode(`"${METADATA}"`);

/** Whether the quoted string at bytes[start..end] spells "userDefinedMetadata" (escapes decoded). */
function isMetadataKey(bytes: Uint8Array, start: number, end: number): boolean {
  const raw = bytes.subarray(start, end + 1);
  if (!raw.includes(BACKSLASH)) return raw.length === METADATA_BYTES.length && raw.every((b, i) => b === METADATA_BYTES[i]);
  try {
    return JSON.parse(new TextDecoder().decode(raw)) === METADATA;
  } catch {
    return false;
  }
}

/**
 * Throws a ModelFormatError when the JSON in `bytes` nests deeper than MAX_DEPTH, holds more than
 * MAX_CONTAINERS arrays and objects or MAX_VALUES values outside its top-level userDefinedMetadata, or
 * has a userDefinedMetadata longer than `limits.maxMetadataBytes`. Malformed JSON is left to JSON.parse.
 */
export function scanJSON(bytes: Uint8Array, where: string, limits: JsonLimits): void {
  let depth = 0;
  let containers = 0;
  let values = 0;
  let topObject = false;
  let keyExpected = false; // at depth 1 of an object, after '{' or ','
  let metadataKey = false; // the current top-level key is userDefinedMetadata
  let valueStart = -1; // where the current top-level value starts (after its ':')
  const endValue = (at: number) => {
    if (metadataKey && valueStart >= 0 && at - valueStart > limits.maxMetadataBytes) {
      throw new ModelFormatError(`${where}: userDefinedMetadata is ${at - valueStart} bytes of JSON; at most ${limits.maxMetadataBytes} are accepted (maxMetadataBytes)`);
    }
    valueStart = -1;
    metadataKey = false;
  };
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      const start = i;
      for (i++; i < bytes.length && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++;
      if (keyExpected && depth === 1) {
        metadataKey = isMetadataKey(bytes, start, i);
        keyExpected = false;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth > MAX_DEPTH) throw new ModelFormatError(`${where} nests arrays and objects more than ${MAX_DEPTH} deep`);
      if (depth === 1) keyExpected = topObject = c === OPEN_OBJECT;
      else if (!(metadataKey && valueStart >= 0) && ++containers > MAX_CONTAINERS) {
        throw new ModelFormatError(`${where} holds more than ${MAX_CONTAINERS} arrays and objects; a model's topology and manifest need far fewer`);
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) endValue(i);
    } else if (c === COMMA && !(metadataKey && valueStart >= 0) && ++values > MAX_VALUES) {
      throw new ModelFormatError(`${where} holds more than ${MAX_VALUES} values; a model's topology and manifest need far fewer`);
    }
    if (depth === 1 && topObject) {
      if (c === COLON) valueStart = i + 1;
      else if (c === COMMA) {
        endValue(i);
        keyExpected = true;
      }
    }
  }
  endValue(bytes.length); // text cut short inside the metadata: JSON.parse would build it all before failing
}
