// The deltaflow command end to end, in-process through run(argv, io) (src/cli/main.ts) on small
// generated CSV files (binary, multi-class, regression): train → evaluate → predict → summary, and the
// exit codes and one-line messages of bad command lines and bad files. bin.test.ts runs the real bin.
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, expectError, inTempDir } from '../helpers/cli.js';
import { rng } from '../helpers/random.js';

const tmp = inTempDir();
/** A path in the test's working folder. */
const at = (...parts: string[]) => path.join(tmp.dir, ...parts);

function writeData(): void {
  const r = rng(42);
  const u = () => +(r() * 2 - 1).toFixed(4);
  const binary = ['a,b,label'];
  const unlabelled = ['b,a'];
  for (let i = 0; i < 240; i++) {
    const [a, b] = [u(), u()];
    binary.push(`${a},${b},${a + 0.5 * b > 0 ? 1 : 0}`);
    if (i < 5) unlabelled.push(`${b},${a}`); // columns in another order: found by name
  }
  const multi = ['x,y,color,species'];
  const colors = ['red', 'green', 'blue'];
  for (let i = 0; i < 300; i++) {
    const [x, y] = [u(), u()];
    multi.push(`${x},${y},${colors[Math.floor(r() * 3)]},${x < -0.33 ? 'alpha' : x < 0.33 ? 'beta' : 'gamma'}`);
  }
  const regression: string[] = [];
  for (let i = 0; i < 300; i++) {
    const [x1, x2] = [u(), u()];
    regression.push(`${x1};${x2};${(3 * x1 - 2 * x2 + 1 + (r() - 0.5) * 0.1).toFixed(4)}`);
  }
  writeFileSync(at('binary.csv'), binary.join('\n') + '\n');
  writeFileSync(at('unlabelled.csv'), unlabelled.join('\n') + '\n');
  writeFileSync(at('multi.csv'), multi.join('\n') + '\n');
  writeFileSync(at('regression.csv'), regression.join('\n') + '\n');
  writeFileSync(at('text-feature.csv'), 'a,b,label\n0.5,1,1\n-0.5,oops,0\n0.2,0.1,1\n');
  writeFileSync(at('gap.csv'), 'a,b,label\n0.5,1,1\n-0.5,,0\n0.2,0.1,1\n');
  writeFileSync(at('constant.csv'), 'a,label\n1,1\n2,1\n3,1\n');
}

beforeAll(() => writeData());

describe('deltaflow train / evaluate / predict / summary', () => {
  it('binary: infers sigmoid + binary_crossentropy, trains with validation and early stopping, saves, plots', async () => {
    const r = await cli('train', 'binary.csv', '--target', 'label', '--layers', '8', '--epochs', '60', '--batch-size', '16', '--seed', '1',
      '--validation-split', '0.2', '--early-stopping', '15', '--standardize', '--save', 'bin-model', '--plot', 'curves.svg', '--log-csv', 'log.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Target "label": binary classification \(2 distinct values, classes "0", "1"\) → output Dense\(1, sigmoid\), loss binary_crossentropy, metrics accuracy/);
    expect(r.stdout).toMatch(/Validation: 48 of 240 rows/);
    expect(r.stdout).toMatch(/Epoch 1\/60 - /); // the progress (one line per epoch when stdout is not a terminal)
    const val = Number(/Validation \(48 rows\): loss [\d.]+ - accuracy ([\d.]+)/.exec(r.stdout)?.[1]);
    expect(val).toBeGreaterThanOrEqual(0.9);
    expect(existsSync(at('bin-model', 'model.json'))).toBe(true);
    expect(existsSync(at('bin-model', 'weights.bin'))).toBe(true);
    expect(readFileSync(at('curves.svg'), 'utf8')).toMatch(/^<svg[\s\S]*val_loss[\s\S]*<\/svg>$/);
    expect(readFileSync(at('log.csv'), 'utf8').split('\n')[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    const meta = JSON.parse(readFileSync(at('bin-model', 'model.json'), 'utf8')).userDefinedMetadata.preprocessing;
    expect(meta).toMatchObject({ task: 'binary', target: 'label', classes: ['0', '1'], inputs: ['a', 'b'], loss: 'binary_crossentropy', encoding: 'binary' });
    expect(meta.scaler.type).toBe('standardize');
    expect(meta.scaler.mean).toHaveLength(2);
  });

  it('binary: evaluate gives the metrics (JSON) and a confusion matrix', async () => {
    const json = await cli('evaluate', 'bin-model', 'binary.csv', '--json');
    expect(json.code, json.stderr).toBe(0);
    const logs = JSON.parse(json.stdout);
    expect(logs.rows).toBe(240);
    expect(logs.accuracy).toBeGreaterThanOrEqual(0.9);
    const text = await cli('evaluate', 'bin-model/', 'binary.csv');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Evaluated bin-model\/ on binary.csv \(240 rows\): loss [\d.]+ - accuracy [\d.]+/);
    expect(text.stdout).toMatch(/Confusion matrix/);
  });

  it('binary: predict applies the stored scaler to raw rows and writes labels and probabilities', async () => {
    const r = await cli('predict', 'bin-model', 'binary.csv', '-o', 'preds.csv', '--keep', 'label');
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(at('preds.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('label,predicted_label,p_0,p_1');
    expect(lines).toHaveLength(241);
    let right = 0;
    for (const line of lines.slice(1)) {
      const [truth, predicted, p0, p1] = line.split(',');
      expect(Number(p0) + Number(p1)).toBeCloseTo(1, 4);
      expect(predicted).toBe(Number(p1) >= 0.5 ? '1' : '0');
      if (truth === predicted) right++;
    }
    expect(right / 240).toBeGreaterThanOrEqual(0.9);
    // Unlabelled rows, columns in another order, to stdout.
    const out = await cli('predict', 'bin-model', 'unlabelled.csv');
    expect(out.code, out.stderr).toBe(0);
    const rows = out.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('predicted_label,p_0,p_1');
    expect(rows).toHaveLength(6);
    const first = readFileSync(at('unlabelled.csv'), 'utf8').split('\n')[1].split(',').map(Number);
    expect(rows[1].split(',')[0]).toBe(first[1] + 0.5 * first[0] > 0 ? '1' : '0');
    // --missing drop leaves rows out: said on stderr, since the output no longer lines up with the file.
    const gap = await cli('predict', 'bin-model', 'gap.csv', '--missing', 'drop');
    expect(gap.code, gap.stderr).toBe(0);
    expect(gap.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(gap.stderr).toMatch(/1 row with missing values left out \(--missing drop; line 3\)/);
  });

  it('binary: summary prints the layers and the stored preprocessing', async () => {
    const r = await cli('summary', 'bin-model');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dense \(Dense\)\s+│ \(None, 8\)/);
    expect(r.stdout).toMatch(/Total params: 33 /);
    expect(r.stdout).toMatch(/Task: binary classification of "label", classes "0", "1"/);
    expect(r.stdout).toMatch(/Features \(2 inputs\): a, b/);
    expect(r.stdout).toMatch(/Scaling: standardize/);
    const json = await cli('summary', 'bin-model/model.json', '--json');
    expect(JSON.parse(json.stdout).target).toBe('label');
  });

  it('multi-class: a text target → softmax + sparse categorical crossentropy; one-hot text feature; class names out', async () => {
    const r = await cli('train', 'multi.csv', '-t', 'species', '--one-hot', 'color', '--layers', '16', '--epochs', '80', '--batch-size', '16',
      '--seed', '3', '--standardize', '--lr', '0.01', '--save', 'multi-model', '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/multi-class classification \(a text column with 3 values, classes "alpha", "beta", "gamma"\) → output Dense\(3, softmax\), loss sparse_categorical_crossentropy/);
    expect(r.stdout).toMatch(/Features \(5 inputs\): x, y, color \(one-hot, 3\)/);
    expect(r.stdout).not.toMatch(/Epoch 1\//);
    const ev = await cli('evaluate', 'multi-model', 'multi.csv', '--json');
    expect(ev.code, ev.stderr).toBe(0);
    expect(JSON.parse(ev.stdout).accuracy).toBeGreaterThanOrEqual(0.9);
    const p = await cli('predict', 'multi-model', 'multi.csv');
    const lines = p.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('predicted_species,p_alpha,p_beta,p_gamma');
    expect(lines).toHaveLength(301);
    for (const line of lines.slice(1, 20)) {
      const [cls, ...probs] = line.split(',');
      expect(['alpha', 'beta', 'gamma']).toContain(cls);
      expect(probs.map(Number).reduce((a, b) => a + b)).toBeCloseTo(1, 4);
    }
    // A category the model never saw: a warning on stderr, the row still predicted.
    writeFileSync(at('purple.csv'), 'x,y,color\n0.9,0.1,purple\n');
    const odd = await cli('predict', 'multi-model', 'purple.csv', '--no-probabilities');
    expect(odd.code, odd.stderr).toBe(0);
    expect(odd.stdout).toBe('predicted_species\ngamma\n');
    expect(odd.stderr).toMatch(/not seen in training .*"color": "purple"/);
  });

  it('regression: a headerless ;-separated file, target by index -1 → linear + mse + mae, rmse printed', async () => {
    const r = await cli('train', 'regression.csv', '--target', '-1', '--layers', '16,8', '--epochs', '150', '--batch-size', '16',
      '--seed', '5', '--standardize', '--lr', '0.01', '--save', 'reg-model', '--verbose', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no header: columns are numbered 0 … 2/);
    expect(r.stdout).toMatch(/Target "2": regression \(numbers that are not all integers\) → output Dense\(1, linear\), loss mean_squared_error, metrics mae/);
    expect(r.stdout).toMatch(/Training\s+\(300 rows\): loss [\d.e+-]+ - mae [\d.e+-]+ - rmse [\d.e+-]+/);
    const ev = await cli('evaluate', 'reg-model', 'regression.csv', '--json');
    const logs = JSON.parse(ev.stdout);
    expect(logs.rmse).toBeLessThan(0.3);
    expect(logs.rmse).toBeCloseTo(Math.sqrt(logs.loss), 6);
    // Only the feature columns (no target), by position.
    writeFileSync(at('features-only.csv'), '0.5;-0.5\n0;0\n');
    const p = await cli('predict', 'reg-model', 'features-only.csv');
    expect(p.code, p.stderr).toBe(0);
    const [head, a, b] = p.stdout.trimEnd().split('\n');
    expect(head).toBe('predicted_2');
    expect(Number(a)).toBeCloseTo(3.5, 0);
    expect(Number(b)).toBeCloseTo(1, 0);
  });
});

describe('deltaflow: bad command lines (exit 2) and bad files (exit 1), one line on stderr', () => {
  it('--help on every command and no command', async () => {
    for (const args of [['--help'], ['train', '--help'], ['evaluate', '-h'], ['predict', '--help'], ['summary', '--help'], ['help', 'train']]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: deltaflow /);
    }
    expect((await cli('train', '--help')).stdout).toMatch(/--validation-split <f>/);
    expectError(await cli(), 2, /no command given/);
    expectError(await cli('fit', 'x.csv'), 2, /unknown command 'fit'/);
  });

  it('unknown flags, missing values, bad numbers, missing arguments', async () => {
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--epoch', '3'), 2, /unknown option --epoch \(did you mean --epochs\?\)/);
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--epochs'), 2, /option --epochs needs a value/);
    expectError(await cli('train', 'binary.csv', '--target', '--epochs', '3'), 2, /option --target needs a value/);
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--epochs', 'ten'), 2, /option --epochs must be an integer, got 'ten'/);
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--batch-size', '0'), 2, /--batch-size must be ≥ 1/);
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--validation-split', '1.2'), 2, /--validation-split must be < 1/);
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--lr', '1e'), 2, /--lr must be a number/);
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--layers', '8,x'), 2, /--layers must be comma-separated positive integers/);
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--optimizer', 'adamm'), 2, /unknown optimizer 'adamm'/);
    expectError(await cli('train', 'binary.csv', '--target', 'label', '--loss', 'nope'), 2, /--loss: Unknown loss "nope"/);
    expectError(await cli('train', 'binary.csv'), 2, /missing --target/);
    expectError(await cli('train'), 2, /missing <data.csv>/);
    expectError(await cli('evaluate', 'bin-model'), 2, /missing <data.csv>/);
    expectError(await cli('predict', 'bin-model', 'binary.csv', 'extra.csv'), 2, /unexpected argument 'extra.csv'/);
  });

  it('a missing file, a missing target column, a non-numeric feature, a missing value, a constant target', async () => {
    expectError(await cli('train', 'nope.csv', '--target', 'label'), 1, /nope.csv: no such file/);
    expectError(await cli('train', 'binary.csv', '--target', 'nope'), 1, /--target: binary.csv has no column "nope"; its columns are "a", "b", "label"/);
    expectError(await cli('train', 'binary.csv', '--target', '7'), 1, /column index 7 is out of range/);
    expectError(await cli('train', 'text-feature.csv', '--target', 'label'), 1, /column "b" is not numeric \(line 3 has "oops"\); encode it with --one-hot "b" \(categories\), read it with --text "b" \(free text\) or leave it out with --drop "b"/);
    expectError(await cli('train', 'gap.csv', '--target', 'label'), 1, /line 3, column 2 \("b"\): missing value ""; pass --missing/);
    expectError(await cli('train', 'constant.csv', '--target', 'label'), 1, /has a single value/);
    expectError(await cli('train', 'multi.csv', '--target', 'species', '--drop', 'color', '--output', 'sigmoid'), 1, /--output sigmoid gives one probability, but target "species" has 3 classes/);
  });

  it('a missing model, a file without the model\'s columns or target, --debug prints the stack', async () => {
    expectError(await cli('summary', 'no-model'), 1, /no model at no-model/);
    expectError(await cli('evaluate', '.', 'binary.csv'), 1, /the folder has no model.json/);
    expectError(await cli('predict', 'bin-model', 'multi.csv'), 1, /multi.csv lacks columns "a", "b" that the model was trained on/);
    expectError(await cli('evaluate', 'bin-model', 'unlabelled.csv'), 1, /has no target column "label"/);
    expectError(await cli('predict', 'bin-model', 'missing.csv'), 1, /missing.csv: no such file/);
    writeFileSync(at('broken.json'), '{"modelTopology": 3}');
    expectError(await cli('summary', 'broken.json'), 1, /cannot load the model at broken.json/);
    const debug = await cli('train', 'nope.csv', '--target', 'label', '--debug');
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^deltaflow train: nope.csv: no such file\n/);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
