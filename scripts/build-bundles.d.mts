// Types for scripts/build-bundles.mjs (used by test/runtimes).
export interface BundlePaths {
  core: string;
  full: string;
  wasm: string;
  /** The threaded build, copied next to the bundles (never inlined). */
  threadsWasm: string;
  /** The relaxed-SIMD build, copied next to the bundles (never inlined). */
  relaxedWasm: string;
  workers: string;
  inline: string;
  /** The `default` condition's subpath entries (core.js, io.js, data.js, plot.js, text.js), built with deltaflow.full.js. */
  subpaths: Record<'core' | 'io' | 'data' | 'plot' | 'text', string>;
  /** The Node entry, node/deltaflow.js. */
  node: string;
  /** The command line, node/cli.js, which imports the Node entry. */
  cli: string;
}
export interface Size {
  raw: number;
  gzip: number;
}
export interface Sizes {
  core: Size;
  wasm: Size;
  workers: Size;
  inline: Size;
  budgets: Record<string, number>;
}
export interface Problem {
  /** 'full': deltaflow.full.js, the subpath entries beside it or one of their chunks. */
  bundle: 'core' | 'full' | 'workers' | 'inline';
  what: string;
  context: string;
}
export const BUNDLES: BundlePaths;
export const FORBIDDEN: { what: string; re: RegExp }[];
export const FORBIDDEN_IN_WORKERS: { what: string; re: RegExp }[];
export function bundlePaths(dir?: string): BundlePaths;
export function buildBundles(options?: { outDir?: string }): Promise<Sizes & { composition: Record<string, number> }>;
/** The Node entry (node/deltaflow.js and its subpath views) alone, into outDir/node. */
export function buildNode(options?: { outDir?: string }): Promise<void>;
export function checkBundles(paths?: BundlePaths): Promise<Problem[]>;
export function sizes(paths?: BundlePaths): Promise<Sizes>;
