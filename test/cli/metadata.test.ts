// Saved models as the CLI finds them: a CSV file where the model folder belongs, stored preprocessing
// that does not match the model, and a real model with very many classes (no call spreads them).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/entries/node.js';
import { FORMAT, type Preprocessing } from '../../src/cli/metadata.js';
import { cli, expectError, inTempDir } from '../helpers/cli.js';

const tmp = inTempDir('deltaflow-metadata-');
const at = (...parts: string[]) => path.join(tmp.dir, ...parts);
const CLASSES = 200_000;

function preprocessing(classes: string[]): Preprocessing {
  return {
    format: FORMAT, task: 'multiclass', target: 'label', targetIndex: 2, columns: 3, classes,
    features: [{ name: 'a', index: 0 }, { name: 'b', index: 1 }], inputs: ['a', 'b'],
    output: 'softmax', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], encoding: 'sparse',
    csv: { delimiter: ',', header: true, missing: 'error' },
    training: { file: 'x.csv', rows: 2, validationRows: 0, epochs: 1, batchSize: 32, optimizer: 'Adam', learningRate: 0.001, seed: 1, date: '2025-01-01T00:00:00.000Z', final: {} },
  };
}

beforeAll(async () => {
  writeFileSync(at('rows.csv'), 'a,b,label\n0.5,-0.5,c7\n0.1,0.2,c199999\n');
  await df.ready();
  // A softmax over 200000 classes: small in parameters (600000), large in class names.
  const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [2] })] });
  const classes = Array.from({ length: CLASSES }, (_, i) => `c${i}`);
  await model.save(`file://${at('many')}`, { userDefinedMetadata: { preprocessing: preprocessing(classes) as unknown as {} } });
  model.dispose();
  // The same preprocessing beside a model with one sigmoid output: damaged.
  const small = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
  await small.save(`file://${at('damaged')}`, { userDefinedMetadata: { preprocessing: preprocessing(classes) as unknown as {} } });
  small.dispose();
}, 60_000);

describe('deltaflow evaluate / predict / summary: where the model is, and what it stores', () => {
  it('a CSV file given where the model folder belongs is named as such (was ENOTDIR … model.json.next)', async () => {
    expectError(await cli('evaluate', 'rows.csv', 'rows.csv'), 1, /^deltaflow evaluate: rows\.csv is a file, not a model folder; give the folder 'deltaflow train --save' wrote \(or its model\.json\)$/);
    expectError(await cli('predict', 'rows.csv', 'rows.csv'), 1, /rows\.csv is a file, not a model folder/);
    expectError(await cli('summary', 'rows.csv'), 1, /rows\.csv is a file, not a model folder/);
  });

  it('stored classes that do not match the model are refused as damaged, in one line', async () => {
    for (const args of [['summary', 'damaged'], ['evaluate', 'damaged', 'rows.csv'], ['predict', 'damaged', 'rows.csv']]) {
      expectError(await cli(...args), 1, /the model's stored preprocessing is damaged: it lists 200000 classes, but the model has 1 output \(a sigmoid, for 2 classes\)$/);
    }
  });

  it('200000 classes: predict writes a column per class, evaluate skips the confusion matrix, summary shortens the list', async () => {
    const p = await cli('predict', 'many', 'rows.csv');
    expect(p.code, p.stderr).toBe(0);
    const [header, first] = p.stdout.split('\n');
    expect(header.split(',')).toHaveLength(CLASSES + 1);
    expect(header.startsWith('predicted_label,p_c0,p_c1,')).toBe(true);
    expect(first.split(',')).toHaveLength(CLASSES + 1);
    const e = await cli('evaluate', 'many', 'rows.csv');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/^Evaluated many on rows\.csv \(2 rows\): loss [\d.]+ - accuracy [\d.]+\nConfusion matrix: not shown for 200000 classes \(at most 30\)\n$/);
    const s = await cli('summary', 'many');
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/Task: multi-class classification of "label", classes "c0", "c1", .*"c19", … \(200000 in all\)\n/);
    expect(JSON.parse((await cli('summary', 'many', '--json')).stdout).classes).toHaveLength(CLASSES);
    expect(readFileSync(at('many', 'model.json'), 'utf8').length).toBeGreaterThan(CLASSES * 4);
  });
});
