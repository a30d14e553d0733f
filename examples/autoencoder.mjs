// A convolutional autoencoder (book: "auto-encoder" chapter) on the `mnist` package's digits: the model
// learns to give back its input through a 7×7×8 bottleneck (392 numbers for 784 pixels).
//   encoder: Conv2D(16, 3×3, relu, same) → MaxPooling2D(2, same) → Conv2D(8, 3×3, relu, same) → MaxPooling2D(2, same)
//   decoder: Conv2D(8, 3×3, relu, same) → UpSampling2D → Conv2D(16, 3×3, relu, same) → UpSampling2D → Conv2D(1, 3×3, sigmoid, same)
// binary crossentropy against the input pixels, adam, batch 128. The book trains 50 epochs on Keras's 60,000
// digits and shows test digits above their reconstructions; this writes that picture to
// examples/out/autoencoder.svg and prints the final losses. Seeded: the same numbers on every run.
//   node examples/autoencoder.mjs [--book] [--epochs N] [--threads N]
//   default: 8,000 training digits, 5 epochs; --book: the same split, 50 epochs (the book's count)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMnist } from './mnist-data.mjs';
import { compare, df, seconds, title } from './lib/book.mjs';

const EXAMPLE = 'Autoencoder';
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const EPOCHS = option('--epochs', argv.includes('--book') ? 50 : 5);
const threads = option('--threads', 1);

await df.ready();
if (threads > 1) await df.setThreads(threads);
title(`${EXAMPLE} (the mnist package: 8,000 training / 2,000 test digits, 28×28×1 → 7×7×8 → 28×28×1): binary_crossentropy, adam, ${EPOCHS} epochs, batch 128${df.getThreads() > 1 ? `, ${df.getThreads()} threads` : ''}`);

const { train, test } = loadMnist({ train: 8000, test: 2000 });
const images = (set) => ({ data: set.x.data, shape: [set.rows, 28, 28, 1] });
const L = df.layers;
const conv = (filters, activation = 'relu', extra = {}) => L.conv2d({ filters, kernelSize: 3, padding: 'same', activation, ...extra });
const model = df.sequential({
  seed: 7,
  layers: [
    conv(16, 'relu', { inputShape: [28, 28, 1] }),
    L.maxPooling2d({ poolSize: 2, padding: 'same' }),
    conv(8),
    L.maxPooling2d({ poolSize: 2, padding: 'same' }),
    conv(8),
    L.upSampling2d({ size: 2 }),
    conv(16),
    L.upSampling2d({ size: 2 }),
    conv(1, 'sigmoid'),
  ],
});
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });

let epochStart = performance.now();
const log = {
  onEpochBegin: () => void (epochStart = performance.now()),
  onEpochEnd: (epoch, logs) => console.log(`  epoch ${String(epoch + 1).padStart(2)}  loss ${logs.loss.toFixed(4)}  val_loss ${logs.val_loss.toFixed(4)}   (${seconds(epochStart)})`),
};
const t0 = performance.now();
const h = await model.fit(images(train), images(train), { epochs: EPOCHS, batchSize: 128, seed: 7, verbose: 0, validationData: [images(test), images(test)], callbacks: [log] });
console.log(`  trained in ${seconds(t0)}`);

// The first test digit of each class, above its reconstruction.
const picks = Array.from({ length: 10 }, (_, d) => test.labels.indexOf(d));
const originals = new Float32Array(10 * 784);
picks.forEach((row, i) => originals.set(test.x.data.subarray(row * 784, (row + 1) * 784), i * 784));
const rebuilt = model.predict({ data: originals, shape: [10, 28, 28, 1] }).dataSync();
const out = fileURLToPath(new URL('./out/autoencoder.svg', import.meta.url));
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(out, digitsSvg([originals, rebuilt], ['original', 'reconstructed'], `Convolutional autoencoder, ${EPOCHS} epochs: test loss ${h.history.val_loss.at(-1).toFixed(4)}`));
console.log(`  wrote ${out}`);

compare({ example: EXAMPLE, measure: 'final training loss', book: null, deltaflow: h.history.loss.at(-1), note: `8k train, ${EPOCHS} epochs` });
compare({ example: EXAMPLE, measure: 'test loss (2,000 held-out digits)', book: null, deltaflow: h.history.val_loss.at(-1) });
if (df.getThreads() > 1) await df.setThreads(1); // stops the workers so the process can exit

/**
 * Rows of 28×28 digits (white on black) as an SVG: each pixel row is drawn as runs of equal gray (16 levels),
 * one <rect> per run, so the file stays small and scales without blur.
 */
function digitsSvg(rows, labels, caption) {
  const cell = 84; // 3 px per pixel
  const gap = 8;
  const left = 110;
  const top = 30;
  const count = rows[0].length / 784;
  const width = left + count * (cell + gap);
  const height = top + rows.length * (cell + gap) + 4;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13" shape-rendering="crispEdges">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18">${caption}</text>`,
  ];
  rows.forEach((pixels, r) => {
    const y0 = top + r * (cell + gap);
    parts.push(`<text x="8" y="${y0 + cell / 2 + 4}">${labels[r]}</text>`);
    for (let i = 0; i < count; i++) {
      const x0 = left + i * (cell + gap);
      parts.push(`<g transform="translate(${x0} ${y0}) scale(3)"><rect width="28" height="28" fill="#000"/>`);
      for (let py = 0; py < 28; py++) {
        for (let px = 0; px < 28; ) {
          const level = Math.round(Math.min(1, Math.max(0, pixels[i * 784 + py * 28 + px])) * 15);
          let end = px + 1;
          while (end < 28 && Math.round(Math.min(1, Math.max(0, pixels[i * 784 + py * 28 + end])) * 15) === level) end++;
          if (level > 0) parts.push(`<rect x="${px}" y="${py}" width="${end - px}" height="1" fill="#${(level * 17).toString(16).padStart(2, '0').repeat(3)}"/>`);
          px = end;
        }
      }
      parts.push('</g>');
    }
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
