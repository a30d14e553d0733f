// MNIST on the page: decoding the packed digits (scripts/mnist-pack.mjs), and turning a drawing into a
// 28 × 28 input the way MNIST was made: the ink's bounding box scaled to fit 20 × 20 (aspect kept, area
// averaged), then placed so its centre of mass sits at the centre of the 28 × 28 field.

export interface Digits {
  train: number;
  test: number;
  labels: Uint8Array;
  pixels: Uint8Array;
}

export async function fetchDigits(url: string): Promise<Digits> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
  let buf = new Uint8Array(await res.arrayBuffer());
  // gzip magic: decompress here (a server that sent Content-Encoding already did).
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream('gzip'));
    buf = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  if (String.fromCharCode(...buf.subarray(0, 4)) !== 'DFMN') throw new Error('mnist.u8.gz: not a packed MNIST file');
  const view = new DataView(buf.buffer, buf.byteOffset);
  const train = view.getUint32(4, true);
  const test = view.getUint32(8, true);
  const n = train + test;
  return { train, test, labels: buf.subarray(12, 12 + n), pixels: buf.subarray(12 + n, 12 + n + n * 784) };
}

/** `ink` is w × h values in [0, 1] (1 = ink). Returns 784 values in [0, 1], or null for an empty drawing. */
export function toMnist(ink: Float32Array, w: number, h: number): Float32Array | null {
  let [x0, y0, x1, y1] = [w, h, -1, -1];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x] > 0.05) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const nw = Math.max(1, Math.round(bw * scale));
  const nh = Math.max(1, Math.round(bh * scale));
  // Area average: every source pixel adds to the target pixel it falls in.
  const sum = new Float32Array(nw * nh);
  const count = new Float32Array(nw * nh);
  for (let y = y0; y <= y1; y++) {
    const ty = Math.min(nh - 1, Math.floor((y - y0) * scale));
    for (let x = x0; x <= x1; x++) {
      const tx = Math.min(nw - 1, Math.floor((x - x0) * scale));
      sum[ty * nw + tx] += ink[y * w + x];
      count[ty * nw + tx] += 1;
    }
  }
  let [m, mx, my] = [0, 0, 0];
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++) {
      const v = count[y * nw + x] ? sum[y * nw + x] / count[y * nw + x] : 0;
      sum[y * nw + x] = v;
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const ox = Math.round(14 - mx / m);
  const oy = Math.round(14 - my / m);
  const out = new Float32Array(784);
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++) {
      const X = x + ox;
      const Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, sum[y * nw + x]);
    }
  }
  return out;
}
