// 'deltaflow/deltaflow.wasm' (and the threads and relaxed builds) as Cloudflare Workers, wrangler and
// Vercel's edge bundler import it: a compiled WebAssembly.Module, which df.ready({ module }) takes.
declare const module: WebAssembly.Module;
export default module;
