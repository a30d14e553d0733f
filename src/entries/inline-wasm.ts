// The .wasm, gzip-compressed and base64-encoded, for the single-file build: empty here;
// scripts/build-bundles.mjs replaces this module with build/deltaflow.wasm's bytes when it builds
// dist/bundles/deltaflow.inline.js (compressed first: base64 of raw WASM gzips ~5 KB worse).
export const WASM_GZIP_BASE64: string = '';
