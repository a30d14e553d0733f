// The `mnist` package's 10,000 digits as flat Float32Arrays, split deterministically and stratified:
// each digit's samples are put in a fixed pseudo-random order (the package keeps MNIST's order, whose
// writers change along the list), then every digit gives the same share to training and held-out.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PIXELS = 784;

// Parsed without require(), whose cache would keep every digit's JSON alive after it is copied out.
function digitPixels(digit) {
  const file = require.resolve(`mnist/src/digits/${digit}.json`);
  return Float32Array.from(JSON.parse(readFileSync(file, 'utf8')).data);
}

export function loadMnist({ train = 8000, test = 2000 } = {}) {
  const samples = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = digitPixels(digit);
    const count = raw.length / PIXELS;
    const order = permutation(count, 1 + digit);
    // Order by position within the digit's shuffled list, so any prefix is stratified.
    order.forEach((i, k) => samples.push({ digit, raw, i, at: (k + 0.5) / count }));
  }
  samples.sort((a, b) => a.at - b.at || a.digit - b.digit);
  if (train + test > samples.length) throw new Error(`mnist has ${samples.length} digits, asked for ${train + test}`);
  const pick = (list) => {
    const x = new Float32Array(list.length * PIXELS);
    const labels = new Int32Array(list.length);
    const oneHot = new Float32Array(list.length * 10);
    list.forEach((s, r) => {
      x.set(s.raw.subarray(s.i * PIXELS, (s.i + 1) * PIXELS), r * PIXELS);
      labels[r] = s.digit;
      oneHot[r * 10 + s.digit] = 1;
    });
    return { x: { data: x, shape: [list.length, PIXELS] }, labels, y: { data: oneHot, shape: [list.length, 10] }, rows: list.length };
  };
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
