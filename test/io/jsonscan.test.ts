// model.json is measured before JSON.parse builds it: a userDefinedMetadata over maxMetadataBytes, too
// many arrays and objects elsewhere, or nesting too deep are refused in one linear pass; a model with
// allowed metadata costs one parse of the file and one copy of the metadata.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as df from '../../src/index.js';
import { MAX_CONTAINERS, MAX_DEPTH, MAX_VALUES, scanJSON } from '../../src/io/jsonscan.js';
import { bits, bytesOf, capture, modelJSON } from './helpers.js';

let work: string;
let model: df.Sequential;
let json: string;
let bin: Uint8Array;

beforeAll(async () => {
  await df.ready();
  work = await mkdtemp(join(tmpdir(), 'deltaflow-jsonscan-'));
  model = df.sequential({ seed: 4, layers: [df.layers.dense({ units: 3, inputShape: [2] })] });
  const a = await capture((h) => model.save(h));
  json = JSON.stringify(modelJSON(a));
  bin = bytesOf(a.weightData);
});

afterEach(() => vi.restoreAllMocks());
afterAll(() => rm(work, { recursive: true, force: true }));

/** model.json with `{ "userDefinedMetadata": { "a": [[], [], …] } }` (`count` empty arrays) first. */
const withMetadata = (count: number, key = 'userDefinedMetadata') => `{"${key}":{"a":[${Array(count).fill('[]').join(',')}]},${json.slice(1)}`;

const MB = 2 ** 20;
const enc = new TextEncoder();

/** Characters that went through JSON.parse and JSON.stringify while `body` ran, and the largest parse. */
async function jsonWork(body: () => Promise<unknown>): Promise<{ total: number; largestParse: number }> {
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  let total = 0;
  let largestParse = 0;
  vi.spyOn(JSON, 'parse').mockImplementation((text: string, ...rest) => {
    total += text.length;
    largestParse = Math.max(largestParse, text.length);
    return parse(text, ...rest);
  });
  vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
    const s = stringify(...args);
    total += s?.length ?? 0;
    return s;
  });
  await body();
  vi.restoreAllMocks();
  return { total, largestParse };
}

async function refused(p: Promise<unknown>, message: RegExp) {
  const e = await p.then(() => undefined, (err) => err);
  expect(e, 'expected a ModelFormatError').toBeInstanceOf(df.ModelFormatError);
  expect(e.message).toMatch(message);
}

describe('userDefinedMetadata', () => {
  it('3 MB of metadata is refused before parsing, naming its size and the limit (file:// and fromFiles)', async () => {
    const text = withMetadata(1_000_000);
    const size = 3 * 1_000_000 - 1 + 2 + 6; // the arrays, commas, brackets and {"a":…}
    const dir = join(work, 'big');
    await rm(dir, { recursive: true, force: true });
    await (await import('node:fs/promises')).mkdir(dir);
    await writeFile(join(dir, 'model.json'), text);
    await writeFile(join(dir, 'weights.bin'), bin);
    const work1 = await jsonWork(() =>
      refused(df.loadLayersModel(`file://${dir}`), new RegExp(`model.json: userDefinedMetadata is ${size} bytes of JSON; at most ${MB} are accepted \\(maxMetadataBytes\\)`)),
    );
    await refused(df.loadLayersModel(df.io.fromFiles({ 'model.json': text, 'weights.bin': bin })), /userDefinedMetadata is \d+ bytes of JSON; at most 1048576/);
    expect(work1.largestParse).toBeLessThan(1000); // the file itself was never parsed
  });

  it('maxMetadataBytes raises the cap: the model loads for one parse of the file', async () => {
    const text = withMetadata(1_000_000);
    const dir = join(work, 'raised');
    await (await import('node:fs/promises')).mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'model.json'), text);
    await writeFile(join(dir, 'weights.bin'), bin);
    let loaded: df.Sequential | undefined;
    const { total } = await jsonWork(async () => (loaded = await df.loadLayersModel(`file://${dir}`, { maxMetadataBytes: 4 * MB })));
    expect(bits(loaded!)).toEqual(bits(model));
    // The file once; no copy, stringify or second parse of its metadata.
    expect(total).toBeLessThan(text.length + 10_000);
    expect((df.io.getUserDefinedMetadata(loaded!) as { a: unknown[] }).a).toHaveLength(1_000_000);
  });

  it('the cap holds for artifacts in memory, and for the key spelled with escapes', async () => {
    const a = await capture((h) => model.save(h));
    const big = { a: Array.from({ length: 400_000 }, () => []) };
    await refused(df.loadLayersModel(df.io.fromMemory({ ...a, userDefinedMetadata: big })), /^userDefinedMetadata is 1200007 bytes of JSON; at most 1048576 are accepted/);
    const back = await df.loadLayersModel(df.io.fromMemory({ ...a, userDefinedMetadata: big }), { maxMetadataBytes: 2 * MB });
    expect((df.io.getUserDefinedMetadata(back) as { a: unknown[] }).a).toHaveLength(400_000);
    await refused(df.loadLayersModel(df.io.fromFiles({ 'model.json': withMetadata(400_000, 'userDefined\\u004detadata'), 'weights.bin': bin })), /userDefinedMetadata is 1200007 bytes/);
  });
});

describe('scanJSON', () => {
  const scan = (text: string, maxMetadataBytes = MB) => () => scanJSON(enc.encode(text), 'model.json', { maxMetadataBytes });

  it('refuses too many arrays and objects outside the metadata, and nesting too deep, before parsing', async () => {
    const many = `{"extra":[${Array(MAX_CONTAINERS).fill('{}').join(',')}],${json.slice(1)}`;
    const { largestParse } = await jsonWork(() => refused(df.loadLayersModel(df.io.fromFiles({ 'model.json': many, 'weights.bin': bin })), /holds more than 1048576 arrays and objects/));
    expect(largestParse).toBeLessThan(1000);
    const deep = `{"extra":${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)},${json.slice(1)}`;
    await refused(df.loadLayersModel(df.io.fromFiles({ 'model.json': deep, 'weights.bin': bin })), /nests arrays and objects more than 1000 deep/);
    expect(scan(`[${'['.repeat(MAX_DEPTH - 2)}${']'.repeat(MAX_DEPTH - 2)}]`)).not.toThrow();
    const numbers = `{"extra":[${Array(MAX_VALUES + 1).fill(7).join(',')}],${json.slice(1)}`;
    await refused(df.loadLayersModel(df.io.fromFiles({ 'model.json': numbers, 'weights.bin': bin })), /holds more than 4194304 values/);
  });

  it('measures the top-level userDefinedMetadata only, whatever its strings hold', () => {
    const meta = (v: string) => `{"a":1,"userDefinedMetadata":${v},"b":2}`;
    expect(scan(meta('{"x":"' + '['.repeat(5000) + '"}'), 5008)).not.toThrow();
    expect(scan(meta('{"x":"' + '['.repeat(5000) + '"}'), 5007)).toThrow(/userDefinedMetadata is 5008 bytes of JSON; at most 5007/);
    expect(scan(meta('"a string \\" with ], { and , inside"'), 36)).not.toThrow();
    expect(scan(meta('"a string \\" with ], { and , inside"'), 35)).toThrow(/is 36 bytes/);
    // Every copy of a repeated key is measured (JSON.parse keeps the last).
    expect(scan(`{"userDefinedMetadata":[1,2,3],"userDefinedMetadata":{}}`, 5)).toThrow(/is 7 bytes/);
    // Cut short inside the metadata (JSON.parse would build what comes before the end, then fail).
    expect(scan(`{"userDefinedMetadata":[[],[],[],`, 9)).toThrow(/is 10 bytes/);
    // Not at the top level, or not a key: not metadata.
    expect(scan(`{"x":{"userDefinedMetadata":[1,2,3]}}`, 2)).not.toThrow();
    expect(scan(`["userDefinedMetadata",[1,2,3]]`, 2)).not.toThrow();
    // The metadata's own arrays and objects do not count against MAX_CONTAINERS (its bytes are capped).
    expect(scan(`{"userDefinedMetadata":[${Array(MAX_CONTAINERS + 1).fill('[]').join(',')}]}`, 4 * MB)).not.toThrow();
    expect(scan(`["userDefinedMetadata",${Array(MAX_CONTAINERS + 1).fill('[]').join(',')}]`)).toThrow(/more than 1048576 arrays/);
  });
});
