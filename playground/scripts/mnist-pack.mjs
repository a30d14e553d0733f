// The `mnist` package's 10,000 digits packed for the page: the same stratified 8,000 / 2,000 split as
// examples/mnist-data.mjs, pixels as uint8 (0–255), gzipped. Layout before gzip (little-endian):
//   'DFMN' · u32 train · u32 test · u8 labels[train + test] · u8 pixels[(train + test) · 784]
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadMnist } from '../../examples/mnist-data.mjs';

export function packMnist(file, { train = 8000, test = 2000 } = {}) {
  const sets = loadMnist({ train, test });
  const n = train + test;
  const out = new Uint8Array(12 + n + n * 784);
  out.set([0x44, 0x46, 0x4d, 0x4e]);
  const view = new DataView(out.buffer);
  view.setUint32(4, train, true);
  view.setUint32(8, test, true);
  let row = 0;
  for (const s of [sets.train, sets.test]) {
    for (let r = 0; r < s.rows; r++, row++) {
      out[12 + row] = s.labels[r];
      const px = s.x.data.subarray(r * 784, (r + 1) * 784);
      for (let p = 0; p < 784; p++) out[12 + n + row * 784 + p] = Math.round(px[p] * 255);
    }
  }
  const gz = gzipSync(out, { level: 9 });
  writeFileSync(file, gz);
  return { train, test, bytes: gz.length };
}
