// The `mnist` package's 10,000 digits as flat Float32Arrays, split deterministically and stratified:
// each digit's samples are put in a fixed pseudo-random order (the package keeps MNIST's order, whose
// writers change along the list), then every digit gives the same share to training and held-out.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PIXELS = 784;

// Each digit's file is {"data":[n, n, …]}, 784 numbers per sample with 256 distinct values (3 decimals).
// It is scanned from its bytes rather than JSON.parse'd: parsing would leave ~9 MB of garbage per digit
// on the JS heap, which set the peak memory of every run that loaded them (and took longer). A pixel is
// kept as one byte, a code into `values` (each distinct token parsed by Number, as JSON.parse would),
// until the chosen rows are written out as float32: the same bits as before, at a fraction of the memory.
function digitPixels(digit, values, codes) {
  const bytes = readInto(require.resolve(`mnist/src/digits/${digit}.json`));
  const out = new Uint8Array(bytes.length >> 1);
  const POW = [1000, 100, 10, 1];
  let n = 0;
  // One pass: a token's key is its digits as an integer with three decimals (0.149 → 149, 1 → 1000).
  let key = 0;
  let decimals = -1;
  let from = bytes.indexOf(0x5b) + 1;
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i];
    if (c >= 0x30 && c <= 0x39) {
      key = key * 10 + (c - 0x30);
      if (decimals >= 0) decimals++;
    } else if (c === 0x2e) decimals = 0;
    else if (c === 0x2c || c === 0x5d) {
      if (decimals > 3) throw new Error(`mnist digit ${digit}: pixel ${bytes.toString('latin1', from, i)} has more than 3 decimals`);
      const k = key * POW[Math.max(decimals, 0)];
      let code = codes.get(k);
      if (code === undefined) {
        const v = Number(bytes.toString('latin1', from, i)); // what JSON.parse gives
        if (!Number.isFinite(v) || values.length === 256) throw new Error(`mnist digit ${digit}: unexpected pixel ${bytes.toString('latin1', from, i)}`);
        codes.set(k, (code = values.length));
        values.push(v);
      }
      out[n++] = code;
      key = 0;
      decimals = -1;
      from = i + 1;
      if (c === 0x5d) break;
    } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d) throw new Error(`mnist digit ${digit}: unexpected character ${String.fromCharCode(c)} in its pixels`);
  }
  return out.slice(0, n); // exactly its pixels: the scratch was sized from the file
}

// One buffer for every file read (the largest is 2.3 MB), instead of one each left for the collector.
let fileBuffer = Buffer.alloc(0);
function readInto(path) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (fileBuffer.length < size) fileBuffer = Buffer.allocUnsafe(size);
    for (let at = 0; at < size; ) at += readSync(fd, fileBuffer, at, size - at, at);
    return fileBuffer.subarray(0, size);
  } finally {
    closeSync(fd);
  }
}

export function loadMnist({ train = 8000, test = 2000 } = {}) {
  const samples = [];
  const values = [];
  const codes = new Map();
  for (let digit = 0; digit < 10; digit++) {
    const raw = digitPixels(digit, values, codes);
    const count = raw.length / PIXELS;
    const order = permutation(count, 1 + digit);
    // Order by position within the digit's shuffled list, so any prefix is stratified.
    order.forEach((i, k) => samples.push({ digit, raw, i, at: (k + 0.5) / count }));
  }
  samples.sort((a, b) => a.at - b.at || a.digit - b.digit);
  if (train + test > samples.length) throw new Error(`mnist has ${samples.length} digits, asked for ${train + test}`);
  const value = Float32Array.from(values);
  const pick = (list) => {
    const x = new Float32Array(list.length * PIXELS);
    const labels = new Int32Array(list.length);
    const oneHot = new Float32Array(list.length * 10);
    list.forEach((s, r) => {
      for (let p = 0, from = s.i * PIXELS, to = r * PIXELS; p < PIXELS; p++) x[to + p] = value[s.raw[from + p]];
      labels[r] = s.digit;
      oneHot[r * 10 + s.digit] = 1;
    });
    return { x: { data: x, shape: [list.length, PIXELS] }, labels, y: { data: oneHot, shape: [list.length, 10] }, rows: list.length };
  };
  fileBuffer = Buffer.alloc(0);
  return { train: pick(samples.slice(0, train)), test: pick(samples.slice(samples.length - test)) };
}

// Fisher–Yates with mulberry32: the same order on every machine.
function permutation(n, seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
