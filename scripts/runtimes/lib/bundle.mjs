// Bundling a Worker the way wrangler does (esbuild; conditions workerd, worker, browser; .wasm imports
// kept as separate CompiledWasm modules, other binary files as Data modules), and an edge function the
// way Vercel's edge bundler does (`?module` imports handed in by the host).
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Matches a `[[rules]]` glob such as "**\/*.wasm" against a path (just the forms wrangler's docs use). */
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Bundles `entry` for workerd into `outDir`: worker.js plus one module file per wasm/data import.
 * `rules` are wrangler's [[rules]] ({ type: 'CompiledWasm' | 'Data', globs }); returns the module list.
 */
export async function bundleWorker({ entry, outDir, rules, cwd }) {
  await mkdir(outDir, { recursive: true });
  const modules = [{ name: 'worker.js', type: 'esModule' }];
  const byType = rules.map((r) => ({ type: r.type, res: r.globs.map(globToRegExp) }));
  const plugin = {
    name: 'wrangler-rules',
    setup(b) {
      b.onResolve({ filter: /\.(wasm|bin)$/ }, async (args) => {
        if (args.pluginData?.skip) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { skip: true } });
        if (r.errors.length) return { errors: r.errors };
        const rel = r.path.replaceAll('\\', '/');
        const rule = byType.find((t) => t.res.some((re) => re.test(rel) || re.test(basename(rel))));
        if (!rule) return { errors: [{ text: `no [[rules]] entry matches ${args.path}` }] };
        const name = basename(r.path);
        if (!modules.some((m) => m.name === name)) {
          await copyFile(r.path, join(outDir, name));
          modules.push({ name, type: rule.type === 'CompiledWasm' ? 'wasm' : 'data' });
        }
        return { path: `./${name}`, external: true };
      });
    },
  };
  await build({
    entryPoints: [entry],
    outfile: join(outDir, 'worker.js'),
    absWorkingDir: cwd,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'warning',
    plugins: [plugin],
  });
  return modules;
}

/** The workerd config for one Worker listening on 127.0.0.1:port. */
export function workerdConfig({ modules, port, compatibilityDate, compatibilityFlags = [] }) {
  const mod = (m) => {
    const kind = { esModule: 'esModule', wasm: 'wasm', data: 'data' }[m.type];
    return `(name = ${JSON.stringify(m.name)}, ${kind} = embed ${JSON.stringify(m.name)})`;
  };
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [
    ${modules.map(mod).join(',\n    ')}
  ],
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
  compatibilityFlags = [${compatibilityFlags.map((f) => JSON.stringify(f)).join(', ')}],
);
`;
}

/** Bundles an edge function (service-worker syntax) into one script; `?module` imports become host-provided values. */
export async function bundleEdge({ entry, outfile, cwd }) {
  const plugin = {
    name: 'edge-modules',
    setup(b) {
      b.onResolve({ filter: /\?module$/ }, (args) => ({ path: basename(args.path.slice(0, -'?module'.length)), namespace: 'edge-module' }));
      b.onLoad({ filter: /.*/, namespace: 'edge-module' }, (args) => ({
        contents: `const m = globalThis.__EDGE_MODULES__?.[${JSON.stringify(args.path)}]; if (!m) throw new Error('the host gave no module ${args.path}'); export default m;`,
        loader: 'js',
      }));
    },
  };
  await build({
    entryPoints: [entry],
    outfile,
    absWorkingDir: cwd,
    bundle: true,
    format: 'iife',
    target: 'es2022',
    platform: 'neutral',
    conditions: ['edge-light', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'warning',
    plugins: [plugin],
  });
}

/** The few wrangler.toml keys the matrix reads: main, compatibility_date, compatibility_flags, [[rules]]. */
export function parseWranglerToml(text) {
  const out = { rules: [] };
  let section = out;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    if (line === '[[rules]]') {
      section = {};
      out.rules.push(section);
      continue;
    }
    if (line.startsWith('[')) {
      section = {};
      continue;
    }
    const m = line.match(/^([\w-]+)\s*=\s*(.+)$/);
    if (!m) throw new Error(`wrangler.toml: cannot read ${JSON.stringify(raw)}`);
    section[m[1]] = JSON.parse(m[2].replace(/'/g, '"'));
  }
  return out;
}
