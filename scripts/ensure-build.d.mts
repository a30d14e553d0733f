// Types for scripts/ensure-build.mjs (used by test/setup/dist.ts).
export function ensureBuild(options?: { wasm?: boolean; log?: (line: string) => void }): Promise<('wasm' | 'dist' | 'bundles')[]>;
