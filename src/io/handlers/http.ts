// http(s)://…/model.json: fetch the JSON (size-capped), then each weight file, which must resolve to
// the same origin and the model's own folder, streamed into a buffer of exactly the manifest's size.
// Redirects are followed (fetch's default, so that same-origin ones work in browsers, where 'manual'
// hides the target), and where each response came from (response.url) is checked the same way.
// Saving POSTs model.json and model.weights.bin as multipart form data, as tfjs's http handler does.
import { ModelFormatError, check } from '../errors.js';
import type { IOHandler, LoadOptions, ModelArtifacts, SaveResult, StagedHandler } from '../types.js';
import { joinWeightData, modelJSON } from './json.js';
import { artifactsInfo } from './memory.js';
import { parseModelJSON, stagedHandler } from './staged.js';

function fetcher(options: LoadOptions): typeof fetch {
  const f = options.fetchFunc ?? (typeof fetch === 'function' ? fetch : undefined);
  if (!f) throw new Error('http(s):// URLs need fetch (Node 18+, browsers, Deno, Bun) or options.fetchFunc');
  return f;
}

function baseURL(url: string): URL {
  const loc = (globalThis as { location?: { href?: string } }).location?.href;
  return new URL(url, loc);
}

/** Reads a response body into `out` from `at`, refusing to go past `end`; returns the bytes read. */
async function readBody(res: Response, out: Uint8Array, at: number, end: number, what: string): Promise<number> {
  const declared = res.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared)) check(Number(declared) <= end - at, `${what} is ${declared} bytes, more than the manifest allows`);
  let n = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (at + n + value.byteLength > end) {
          await reader.cancel().catch(() => undefined);
          throw new ModelFormatError(`${what} is longer than the manifest allows`);
        }
        out.set(value, at + n);
        n += value.byteLength;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    const b = new Uint8Array(await res.arrayBuffer());
    check(at + b.byteLength <= end, `${what} is longer than the manifest allows`);
    out.set(b, at);
    n = b.byteLength;
  }
  return n;
}

/** fetch, whose network failures ("fetch failed") also say what was fetched from where; aborts pass as they are. */
async function request(f: typeof fetch, url: URL | string, init: RequestInit | undefined, what: string): Promise<Response> {
  try {
    return await f(url, init);
  } catch (e) {
    if ((e as { name?: string })?.name === 'AbortError') throw e;
    const cause = (e as { cause?: { message?: string } })?.cause?.message;
    throw new Error(`${what}: could not reach ${url}: ${e instanceof Error ? e.message : String(e)}${cause ? ` (${cause})` : ''}`, { cause: e });
  }
}

async function get(f: typeof fetch, url: URL | string, init: RequestInit | undefined, what: string): Promise<Response> {
  const res = await request(f, url, init, what);
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new ModelFormatError(`${what}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${url}`);
  }
  return res;
}

/** Where a response came from after redirects; a custom fetchFunc's response may not say (then: where it was sent). */
function finalURL(res: Response, requested: URL): URL {
  return res.url ? new URL(res.url) : requested;
}

/** Refuses a response that ended somewhere it must not, without reading its body. */
async function refuse(res: Response, message: string): Promise<never> {
  await res.body?.cancel().catch(() => undefined);
  throw new ModelFormatError(message);
}

const folderOf = (u: URL) => u.pathname.slice(0, u.pathname.lastIndexOf('/') + 1);

async function save(url: string, artifacts: ModelArtifacts, options: LoadOptions): Promise<SaveResult> {
  const weightsName = 'model.weights.bin';
  const json = modelJSON(artifacts, [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? [] }]);
  const form = new FormData();
  form.append('model.json', new Blob([JSON.stringify(json)], { type: 'application/json' }), 'model.json');
  form.append(weightsName, new Blob([joinWeightData(artifacts.weightData) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), weightsName);
  const res = await request(fetcher(options), url, { method: 'POST', ...options.requestInit, body: form }, 'save');
  if (!res.ok) throw new Error(`save: HTTP ${res.status} from ${url}`);
  return { modelArtifactsInfo: artifactsInfo(artifacts), responses: [res] };
}

export function httpHandler(url: string, options: LoadOptions = {}): StagedHandler & IOHandler {
  return stagedHandler(
    async (limits) => {
      const { maxJsonBytes } = limits;
      const f = fetcher(options);
      const base = baseURL(url);
      const res = await get(f, base, options.requestInit, 'model.json');
      const served = finalURL(res, base);
      if (served.origin !== base.origin) await refuse(res, `${base} was redirected to ${served}, another origin; weights are read from the model's origin only (load from ${served} itself if it is trusted)`);
      const buf = new Uint8Array(Math.min(maxJsonBytes + 1, 1 << 16));
      // Grows up to the cap; a response past the cap is refused without reading it all.
      let body = buf;
      let n = 0;
      if (res.body) {
        const reader = res.body.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (n + value.byteLength > maxJsonBytes) {
              await reader.cancel().catch(() => undefined);
              throw new ModelFormatError(`${base} is more than ${maxJsonBytes} bytes (maxJsonBytes)`);
            }
            if (n + value.byteLength > body.byteLength) {
              const grown = new Uint8Array(Math.min(maxJsonBytes, Math.max(body.byteLength * 2, n + value.byteLength)));
              grown.set(body.subarray(0, n));
              body = grown;
            }
            body.set(value, n);
            n += value.byteLength;
          }
        } finally {
          reader.releaseLock();
        }
      } else {
        body = new Uint8Array(await res.arrayBuffer());
        n = body.byteLength;
      }
      const json = parseModelJSON(body.subarray(0, n), String(base), limits);
      const folder = folderOf(base);
      // A weight file may end up in the folder asked for or the one model.json was redirected to.
      const folders = [folder, folderOf(served)];
      return {
        json,
        where: String(base),
        async readWeights(paths, groupBytes) {
          const total = groupBytes.reduce((a, b) => a + b, 0);
          const out = new Uint8Array(total);
          let at = 0;
          for (let g = 0; g < paths.length; g++) {
            const end = at + groupBytes[g];
            for (const p of paths[g]) {
              const u = new URL(p, base);
              check(u.origin === base.origin && u.pathname.startsWith(folder) && !u.search && !u.hash, `weight file ${JSON.stringify(p)} resolves to ${u}, outside the model's folder ${base.origin}${folder}`);
              const r = await get(f, u, options.requestInit, `weight file ${p}`);
              const came = finalURL(r, u);
              if (came.origin !== base.origin || !folders.some((d) => came.pathname.startsWith(d))) {
                await refuse(r, `weight file ${JSON.stringify(p)} was redirected to ${came}, outside the model's folder ${base.origin}${folder}`);
              }
              at += await readBody(r, out, at, end, `weight file ${u}`);
            }
            check(at === end, `the files of weight group ${g} (${paths[g].join(', ')}) hold ${at - (end - groupBytes[g])} bytes but the manifest lists ${groupBytes[g]}`);
          }
          return out;
        },
      };
    },
    { save: (artifacts) => save(url, artifacts, options) },
  );
}
