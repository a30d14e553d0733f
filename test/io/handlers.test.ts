// Handlers: file:// (tfjs-node's layout, crash-safe renames, recovery), http(s):// against a local
// server, localstorage:// with tfjs's keys on an in-memory Storage, the browser-only schemes' errors
// in Node, custom routers — and no manifest path reaching outside the model's folder.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as df from '../../src/index.js';
import { bits, bytesOf, capture, modelJSON, shard } from './helpers.js';

let dir: string;
let warn: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  const original = console.warn.bind(console);
  warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!args.some((a) => typeof a === 'string' && a.includes('tfjs-node'))) original(...args);
  });
  await tf.setBackend('cpu');
  await df.ready();
  dir = await mkdtemp(join(tmpdir(), 'deltaflow-io-'));
});

afterAll(async () => {
  warn.mockRestore();
  await rm(dir, { recursive: true, force: true });
});

const x = [[0.1, -0.2, 0.3], [1, 2, -3]];

function small(seed = 1) {
  return df.sequential({ seed, layers: [df.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), df.layers.dense({ units: 2, activation: 'softmax' })] });
}

function large(seed = 2) {
  return df.sequential({ seed, layers: [df.layers.dense({ units: 32, activation: 'tanh', inputShape: [3] }), df.layers.dropout({ rate: 0.1 }), df.layers.dense({ units: 2 })] });
}

/** tfjs and deltaflow sum in different orders: outputs agree to 1e-6 of the batch's largest |output|. */
function close(got: ArrayLike<number>, want: ArrayLike<number>) {
  const scale = Math.max(...Array.from(want, Math.abs));
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-6 * scale);
}

async function rejectsFormat(p: Promise<unknown>, message: RegExp) {
  const e = await p.then(() => undefined, (err) => err);
  expect(e, 'expected a ModelFormatError').toBeInstanceOf(df.ModelFormatError);
  expect((e as Error).message).toMatch(message);
}

describe('file://', () => {
  it("writes dir/model.json and dir/weights.bin as tfjs-node does, loads back, and tfjs reads the files", async () => {
    const m = small();
    const where = join(dir, 'plain');
    await m.save(`file://${where}`);
    expect((await readdir(where)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(where, 'model.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['modelTopology', 'format', 'generatedBy', 'convertedBy', 'weightsManifest']);
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect((await stat(join(where, 'weights.bin'))).size).toBe((3 * 4 + 4 + 4 * 2 + 2) * 4);
    for (const url of [`file://${where}`, `file://${where}/model.json`]) {
      const back = await df.loadLayersModel(url);
      expect(bits(back)).toEqual(bits(m));
    }
    const t = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(await readFile(join(where, 'weights.bin'))).buffer }),
    );
    close((t.predict(tf.tensor(x)) as tf.Tensor).dataSync() as Float32Array, m.predict(x).dataSync());
  });

  it('saving over a model replaces it and leaves no staging files', async () => {
    const where = join(dir, 'over');
    await small().save(`file://${where}`);
    const m = large();
    await m.save(`file://${where}`);
    expect((await readdir(where)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(bits(await df.loadLayersModel(`file://${where}`))).toEqual(bits(m));
  });

  it('reads a save interrupted at any step: the old model before the commit, the new one after', async () => {
    const oldModel = small(3);
    const newModel = large(4);
    const stage = async (name: string) => {
      const where = join(dir, name);
      await oldModel.save(`file://${where}`);
      const a = await capture((h) => newModel.save(h));
      return { where, json: JSON.stringify(modelJSON(a)), bin: bytesOf(a.weightData) };
    };
    // Killed after the new weights were staged, before the commit: the old model.
    let s = await stage('before-commit');
    await writeFile(join(s.where, 'weights.bin.next'), s.bin);
    await writeFile(join(s.where, 'weights.bin.0123456789abcdef.tmp'), s.bin.subarray(0, 10));
    expect(bits(await df.loadLayersModel(`file://${s.where}`))).toEqual(bits(oldModel));
    // Killed right after the commit (model.json.next written): the new model.
    s = await stage('after-commit');
    await writeFile(join(s.where, 'weights.bin.next'), s.bin);
    await writeFile(join(s.where, 'model.json.next'), s.json);
    expect(bits(await df.loadLayersModel(`file://${s.where}`))).toEqual(bits(newModel));
    // Killed between the two final renames (new weights.bin, old model.json, model.json.next): the new model.
    s = await stage('between-renames');
    await writeFile(join(s.where, 'weights.bin'), s.bin);
    await writeFile(join(s.where, 'model.json.next'), s.json);
    expect(bits(await df.loadLayersModel(`file://${s.where}`))).toEqual(bits(newModel));
    // The next save finishes or discards what it finds, then writes its own.
    await oldModel.save(`file://${s.where}`);
    expect((await readdir(s.where)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(bits(await df.loadLayersModel(`file://${s.where}`))).toEqual(bits(oldModel));
  });

  it('reads sharded weights named as the converter names them', async () => {
    const m = large(5);
    const a = await capture((h) => m.save(h));
    const { paths, files } = shard(bytesOf(a.weightData), [50, 333, 334]);
    const where = join(dir, 'sharded');
    await mkdir(where);
    await writeFile(join(where, 'model.json'), JSON.stringify(modelJSON(a, paths.map((p) => `./${p}`))));
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(where, name), bytes);
    expect(bits(await df.loadLayersModel(`file://${where}/model.json`))).toEqual(bits(m));
  });

  it('never reads outside the model folder; missing, short and long weight files are named', async () => {
    const a = await capture((h) => small(6).save(h));
    const bin = bytesOf(a.weightData);
    await writeFile(join(dir, 'secret.bin'), bin);
    const folder = async (name: string, paths: string[], files: Record<string, Uint8Array> = {}) => {
      const where = join(dir, name);
      await mkdir(where, { recursive: true });
      await writeFile(join(where, 'model.json'), JSON.stringify(modelJSON(a, paths)));
      for (const [f, b] of Object.entries(files)) await writeFile(join(where, f), b);
      return `file://${where}`;
    };
    await rejectsFormat(df.loadLayersModel(await folder('dotdot', ['../secret.bin'])), /leaves the model's folder/);
    await rejectsFormat(df.loadLayersModel(await folder('abs', [join(dir, 'secret.bin')])), /is absolute/);
    await rejectsFormat(df.loadLayersModel(await folder('url', [`file://${join(dir, 'secret.bin')}`])), /URL/);
    await rejectsFormat(df.loadLayersModel(await folder('http', ['https://example.com/w.bin'])), /URL/);
    await rejectsFormat(df.loadLayersModel(await folder('escaped', ['%2e%2e/secret.bin'])), /not allowed/);
    const link = await folder('symlink', ['w.bin']);
    await symlink(join(dir, 'secret.bin'), join(dir, 'symlink', 'w.bin'));
    await rejectsFormat(df.loadLayersModel(link), /outside the model's folder/);
    await rejectsFormat(df.loadLayersModel(await folder('missing', ['w.bin'])), /does not exist/);
    await rejectsFormat(df.loadLayersModel(await folder('short', ['w.bin'], { 'w.bin': bin.subarray(1) })), /too short/);
    await rejectsFormat(df.loadLayersModel(await folder('long', ['w.bin'], { 'w.bin': new Uint8Array([...bin, 0]) })), /too long/);
    await rejectsFormat(df.loadLayersModel(`file://${join(dir, 'nothing-here')}`), /there is no model at/);
    await rejectsFormat(df.loadLayersModel(`file://${join(dir, 'secret.bin')}`), /there is no model at .*secret\.bin/);
  });

  it('a save that cannot complete says where and why in words', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    await expect(small().save(`file://${file}`)).rejects.toThrow(new RegExp(`could not save the model to ${file}: it is a file, not a folder`));
    await expect(small().save(`file://${file}/inside`)).rejects.toThrow(new RegExp(`could not save the model to ${file}/inside \\(creating the folder\\): a part of the path is a file, not a folder`));
  });
});

describe('http(s)://', () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];
  const files = new Map<string, Uint8Array>();
  /** Paths the server answers with a 302 to the given location. */
  const redirects = new Map<string, string>();
  let posted: FormData | undefined;
  // Another origin (another port), serving only what `elsewhere` holds.
  let other: Server;
  let otherBase: string;
  const elsewhere = new Map<string, Uint8Array>();

  beforeAll(async () => {
    other = createServer((req, res) => res.end(elsewhere.get(req.url!) ?? ''));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    otherBase = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    server = createServer((req, res) => {
      requests.push(req.url!);
      const to = redirects.get(req.url!);
      if (to) {
        res.writeHead(302, { location: to });
        res.end();
        return;
      }
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', async () => {
          posted = await new Response(Buffer.concat(chunks), { headers: { 'content-type': req.headers['content-type']! } }).formData();
          res.end('ok');
        });
        return;
      }
      const body = files.get(req.url!);
      if (!body) {
        res.statusCode = 404;
        res.end();
        return;
      }
      if (req.url!.startsWith('/nolength/')) {
        res.write(body); // chunked: no content-length
        res.end();
        return;
      }
      res.setHeader('content-length', body.byteLength);
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise<void>((r) => other.close(() => r()));
  });

  const enc = new TextEncoder();

  it('loads model.json and its shards relative to the model URL', async () => {
    const m = large(7);
    const a = await capture((h) => m.save(h));
    const { paths, files: shards } = shard(bytesOf(a.weightData), [100, 101, 200]);
    files.set('/models/a/model.json', enc.encode(JSON.stringify(modelJSON(a, paths))));
    for (const [name, b] of Object.entries(shards)) files.set(`/models/a/${name}`, b);
    const back = await df.loadLayersModel(`${base}/models/a/model.json`);
    expect(bits(back)).toEqual(bits(m));
    // tfjs reads the same URL.
    const t = await tf.loadLayersModel(`${base}/models/a/model.json`);
    close((t.predict(tf.tensor(x)) as tf.Tensor).dataSync() as Float32Array, m.predict(x).dataSync());
  });

  it('refuses weight paths that leave the folder, before requesting them', async () => {
    const a = await capture((h) => small(8).save(h));
    files.set('/models/secret.bin', bytesOf(a.weightData));
    files.set('/other/secret.bin', bytesOf(a.weightData));
    const serve = (name: string, paths: string[]) => {
      files.set(`/models/${name}/model.json`, enc.encode(JSON.stringify(modelJSON(a, paths))));
      return `${base}/models/${name}/model.json`;
    };
    requests.length = 0;
    await rejectsFormat(df.loadLayersModel(serve('e1', ['../secret.bin'])), /leaves the model's folder/);
    await rejectsFormat(df.loadLayersModel(serve('e2', ['/other/secret.bin'])), /absolute/);
    await rejectsFormat(df.loadLayersModel(serve('e3', [`${base}/other/secret.bin`])), /URL/);
    await rejectsFormat(df.loadLayersModel(serve('e4', ['//evil.example/secret.bin'])), /absolute/);
    await rejectsFormat(df.loadLayersModel(serve('e5', ['%2E%2E/secret.bin'])), /not allowed/);
    await rejectsFormat(df.loadLayersModel(serve('e6', ['w.bin?x=../../secret.bin'])), /not allowed/);
    expect(requests.filter((r) => r.includes('secret'))).toEqual([]);
  });

  it('names missing, short and long weight files and an oversized model.json', async () => {
    const a = await capture((h) => small(9).save(h));
    const bin = bytesOf(a.weightData);
    const serve = (folder: string, body: Uint8Array | undefined) => {
      files.set(`/${folder}/m/model.json`, enc.encode(JSON.stringify(modelJSON(a, ['w.bin']))));
      if (body) files.set(`/${folder}/m/w.bin`, body);
      return `${base}/${folder}/m/model.json`;
    };
    await rejectsFormat(df.loadLayersModel(serve('missing', undefined)), /HTTP 404/);
    await rejectsFormat(df.loadLayersModel(serve('short', bin.subarray(2))), /hold \d+ bytes but the manifest lists/);
    await rejectsFormat(df.loadLayersModel(serve('long', new Uint8Array([...bin, 1, 2]))), /more than the manifest allows/);
    await rejectsFormat(df.loadLayersModel(serve('nolength', new Uint8Array([...bin, 1, 2]))), /longer than the manifest allows/);
    await rejectsFormat(df.loadLayersModel(serve('cap', bin), { maxJsonBytes: 100 }), /maxJsonBytes/);
  });

  it('follows redirects within the model\'s origin and folder only, checking where each response came from', async () => {
    const m = small(15);
    const a = await capture((h) => m.save(h));
    const bin = bytesOf(a.weightData);
    const json = enc.encode(JSON.stringify(modelJSON(a, ['w.bin'])));
    // weights.bin sent to another origin: refused, naming the URL it ended at.
    files.set('/r1/model.json', json);
    redirects.set('/r1/w.bin', `${otherBase}/w.bin`);
    elsewhere.set('/w.bin', bin);
    await rejectsFormat(df.loadLayersModel(`${base}/r1/model.json`), new RegExp(`weight file "w.bin" was redirected to ${otherBase}/w.bin, outside the model's folder ${base}/r1/`));
    // model.json sent to another origin: refused too.
    redirects.set('/r2/model.json', `${otherBase}/model.json`);
    elsewhere.set('/model.json', json);
    await rejectsFormat(df.loadLayersModel(`${base}/r2/model.json`), new RegExp(`${base}/r2/model.json was redirected to ${otherBase}/model.json, another origin`));
    // Within the origin but out of the model's folder: refused.
    files.set('/r3/model.json', json);
    files.set('/secret/w.bin', bin);
    redirects.set('/r3/w.bin', '/secret/w.bin');
    await rejectsFormat(df.loadLayersModel(`${base}/r3/model.json`), /weight file "w.bin" was redirected to .*\/secret\/w.bin, outside the model's folder/);
    // Within the folder, or to the folder model.json was redirected to: loads.
    files.set('/r4/model.json', json);
    files.set('/r4/v2/w.bin', bin);
    redirects.set('/r4/w.bin', '/r4/v2/w.bin');
    expect(bits(await df.loadLayersModel(`${base}/r4/model.json`))).toEqual(bits(m));
    redirects.set('/latest/model.json', '/v3/model.json');
    files.set('/v3/model.json', json);
    redirects.set('/latest/w.bin', '/v3/w.bin');
    files.set('/v3/w.bin', bin);
    expect(bits(await df.loadLayersModel(`${base}/latest/model.json`))).toEqual(bits(m));
    // A fetchFunc whose responses carry no url (mocks, wrappers): the requested URL stands.
    const bare: typeof fetch = async (url, init) => {
      const r = await fetch(url, init);
      return new Response(r.body, { status: r.status, headers: r.headers });
    };
    expect(bits(await df.loadLayersModel(`${base}/r4/model.json`, { fetchFunc: bare }))).toEqual(bits(m));
  });

  it('a server that cannot be reached is named, loading and saving', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const gone = `http://127.0.0.1:${(closed.address() as { port: number }).port}/m/model.json`;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(df.loadLayersModel(gone)).rejects.toThrow(new RegExp(`model.json: could not reach ${gone}: fetch failed \\(.*ECONNREFUSED`));
    await expect(small().save(gone)).rejects.toThrow(new RegExp(`save: could not reach ${gone}: fetch failed`));
  });

  it('saves by POSTing model.json and model.weights.bin as tfjs does', async () => {
    const m = small(10);
    await m.save(`${base}/upload`);
    expect(posted).toBeDefined();
    const json = await (posted!.get('model.json') as Blob).text();
    const weights = new Uint8Array(await (posted!.get('model.weights.bin') as Blob).arrayBuffer());
    expect(JSON.parse(json).weightsManifest[0].paths).toEqual(['./model.weights.bin']);
    expect(bits(await df.loadLayersModel(df.io.fromFiles({ 'model.json': json, 'model.weights.bin': weights })))).toEqual(bits(m));
  });
});

class MemoryStorage {
  private items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    const used = [...this.items.entries()].reduce((n, [kk, vv]) => n + (kk === k ? 0 : vv.length), 0);
    if (used + v.length > this.quota) throw new Error('QuotaExceededError');
    this.items.set(k, String(v));
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  clear() {
    this.items.clear();
  }
}

describe('localstorage:// (on an in-memory Storage)', () => {
  const g = globalThis as { localStorage?: unknown };
  const withStorage = async (s: MemoryStorage, body: () => Promise<void>) => {
    g.localStorage = s;
    try {
      await body();
    } finally {
      delete g.localStorage;
    }
  };

  it("round-trips under tfjs's keys, in tfjs's encoding", async () => {
    const store = new MemoryStorage();
    await withStorage(store, async () => {
      const m = large(11);
      m.compile({ optimizer: 'adam', loss: 'mse' });
      await m.save('localstorage://my/model', { includeOptimizer: true, userDefinedMetadata: { a: 1 } });
      const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).sort();
      expect(keys).toEqual(['info', 'model_metadata', 'model_topology', 'weight_data', 'weight_specs'].map((k) => `tensorflowjs_models/my/model/${k}`));
      const back = await df.loadLayersModel('localstorage://my/model');
      expect(bits(back)).toEqual(bits(m));
      expect(df.io.getUserDefinedMetadata(back)).toEqual({ a: 1 });
      expect(back.optimizer?.name).toBe('adam');
      // tfjs's own reader would decode the same items to the same model.
      const k = (s: string) => store.getItem(`tensorflowjs_models/my/model/${s}`)!;
      const t = await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology: JSON.parse(k('model_topology')), weightSpecs: JSON.parse(k('weight_specs')), weightData: new Uint8Array(Buffer.from(k('weight_data'), 'base64')).buffer }),
      );
      close((t.predict(tf.tensor(x)) as tf.Tensor).dataSync() as Float32Array, m.predict(x).dataSync());
    });
  });

  it('names a missing model and corrupt weight data; a failed save leaves nothing behind', async () => {
    const store = new MemoryStorage(2000);
    await withStorage(store, async () => {
      await rejectsFormat(df.loadLayersModel('localstorage://nope'), /no model info for model 'nope'/);
      await small().save('localstorage://s');
      store.setItem('tensorflowjs_models/s/weight_data', store.getItem('tensorflowjs_models/s/weight_data')!.slice(4));
      await rejectsFormat(df.loadLayersModel('localstorage://s'), /base64 characters/);
      store.clear();
      const big = df.sequential({ layers: [df.layers.dense({ units: 200, inputShape: [10] })] });
      await expect(big.save('localstorage://big')).rejects.toThrow(/quota/);
      expect(store.length).toBe(0);
    });
  });
});

describe('environments and routers', () => {
  it('browser-only schemes say what they need', async () => {
    const m = small();
    await expect(m.save('indexeddb://x')).rejects.toThrow(/needs IndexedDB/);
    await expect(df.loadLayersModel('indexeddb://x')).rejects.toThrow(/needs IndexedDB/);
    await expect(m.save('localstorage://x')).rejects.toThrow(/needs window.localStorage/);
    await expect(df.loadLayersModel('localstorage://x')).rejects.toThrow(/needs window.localStorage/);
    await expect(m.save('downloads://x')).rejects.toThrow(/needs a browser page/);
    await expect(m.save('ftp://x')).rejects.toThrow(/no handler for "ftp:\/\/x"/);
    await expect(df.loadLayersModel('models/x.json')).rejects.toThrow(/no handler/);
  });

  it('custom routers come first', async () => {
    const shelf = new Map<string, df.ModelArtifacts>();
    df.io.registerSaveRouter((url) => (url.startsWith('shelf://') ? df.io.withSaveHandler(async (a) => void shelf.set(url, a)) : null));
    df.io.registerLoadRouter((url) => (url.startsWith('shelf://') ? df.io.fromMemory(shelf.get(url)!) : null));
    const m = small(12);
    await m.save('shelf://one');
    expect(bits(await df.loadLayersModel('shelf://one'))).toEqual(bits(m));
    expect(df.io.getLoadHandlers('shelf://one')).toHaveLength(1);
  });

  it("tfjs 4.22's streamed artifacts (getWeightStream), checked for length as they stream", async () => {
    const m = small(14);
    const { weightData, ...a } = await capture((h) => m.save(h));
    const bytes = bytesOf(weightData);
    const stream = (chunks: Uint8Array[]) => () => new ReadableStream<Uint8Array>({ start: (c) => (chunks.forEach((k) => c.enqueue(k)), c.close()) });
    const cut = (b: Uint8Array) => [b.subarray(0, 5), b.subarray(5, 40), b.subarray(40)];
    expect(bits(await df.loadLayersModel(df.io.fromMemory({ ...a, getWeightStream: stream(cut(bytes)) })))).toEqual(bits(m));
    await rejectsFormat(df.loadLayersModel(df.io.fromMemory({ ...a, getWeightStream: stream(cut(new Uint8Array([...bytes, 9]))) })), /longer than the \d+ bytes/);
    await rejectsFormat(df.loadLayersModel(df.io.fromMemory({ ...a, getWeightStream: stream(cut(bytes.subarray(1))) })), /ended after/);
  });

  it('deltaflow handlers also serve tfjs: tf.loadLayersModel(df.io.fromFiles(…))', async () => {
    const m = small(13);
    const a = await capture((h) => m.save(h));
    const t = await tf.loadLayersModel(df.io.fromFiles({ 'model.json': JSON.stringify(modelJSON(a)), 'weights.bin': bytesOf(a.weightData) }) as tf.io.IOHandler);
    close((t.predict(tf.tensor(x)) as tf.Tensor).dataSync() as Float32Array, m.predict(x).dataSync());
  });
});
