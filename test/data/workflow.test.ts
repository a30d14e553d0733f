// The whole workflow on an inline file: CSV text → table → stratified split → scaler fitted on the
// training rows → model.fit with validation data → learning curves and a confusion matrix.

import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { parseXml, findAll, hasClass } from '../plot/xml.js';

beforeAll(() => df.ready());

/** Three separable clusters with text labels, in a CSV with a header, CRLF and a quoted column name. */
function clustersCsv(n: number): string {
  const rng = new df.data.Rng(5);
  const lines = ['"size, cm",weight,kind'];
  const centres: [number, number, string][] = [[10, 200, 'small'], [20, 400, 'medium'], [30, 600, 'large']];
  for (let i = 0; i < n; i++) {
    const [a, b, kind] = centres[i % 3];
    lines.push(`${(a + 4 * rng.float()).toFixed(2)},${(b + 80 * rng.float()).toFixed(1)},${kind}`);
  }
  return lines.join('\r\n') + '\r\n';
}

describe('data → model → plots', () => {
  it('classifies an inline CSV and draws the run', async () => {
    const table = df.data.readCsv(clustersCsv(150));
    expect(table.columns).toEqual(['size, cm', 'weight', 'kind']);
    const { x, y, classes } = table.split({ target: 'kind' });
    expect(classes).toEqual(['large', 'medium', 'small']);
    const { xTrain, xTest, yTrain, yTest } = df.data.trainTestSplit(x, y, { testSize: 0.2, seed: 1, stratify: true });
    const scaler = df.data.standardize().fit(xTrain);
    const model = df.sequential({ seed: 3, layers: [
      df.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }),
      df.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(scaler.transform(xTrain), df.data.oneHot(yTrain, 3), {
      epochs: 30, batchSize: 16, verbose: 0, validationData: [scaler.transform(xTest), df.data.oneHot(yTest, 3)],
    });
    expect(h.history.val_accuracy.at(-1)).toBeGreaterThan(0.9);
    // The scaler travels as JSON (e.g. in a saved model's userDefinedMetadata).
    const again = df.data.scalerFromJSON(JSON.parse(JSON.stringify(scaler.toJSON())));
    const pred = model.predict(again.transform(xTest));
    const svg = df.plot.history(h);
    const root = parseXml(svg);
    for (const line of findAll(root, (e) => e.name === 'polyline')) expect(line.attrs.points.trim().split(/\s+/)).toHaveLength(30);
    const cm = parseXml(df.plot.confusionMatrix(yTest, pred, { labels: classes }));
    const diagonal = findAll(cm, (e) => hasClass(e, 'cell') && e.attrs['data-true'] === e.attrs['data-pred']).reduce((s, c) => s + Number(c.attrs['data-count']), 0);
    expect(diagonal).toBeGreaterThanOrEqual(27);
  });

  it('regression with a scaled target and a predicted-vs-actual plot', async () => {
    const rng = new df.data.Rng(8);
    const rows = ['a b y'];
    for (let i = 0; i < 120; i++) {
      const a = rng.float() * 10;
      const b = rng.float() * 5;
      rows.push(` ${a.toFixed(3)}  ${b.toFixed(3)}  ${(3 * a - 2 * b + 50).toFixed(3)}`);
    }
    const t = df.data.readCsv(rows.join('\n'));
    const { x, y } = t.split({ target: 'y' });
    const { xTrain, xTest, yTrain, yTest } = df.data.trainTestSplit(x, y, { testSize: 0.25, seed: 2 });
    const sx = df.data.standardize().fit(xTrain);
    const sy = df.data.standardize().fit(yTrain);
    const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
    await model.fit(sx.transform(xTrain), sy.transform(yTrain), { epochs: 100, batchSize: 30, verbose: 0 });
    const pred = sy.inverseTransform(model.predict(sx.transform(xTest)));
    const svg = df.plot.predictedVsActual(yTest, pred);
    const root = parseXml(svg);
    expect(findAll(root, (e) => hasClass(e, 'point'))).toHaveLength(30);
    const summary = findAll(root, (e) => hasClass(e, 'summary'))[0];
    const r2 = Number(/R² = ([\d.]+)/.exec(JSON.stringify(summary))![1]);
    expect(r2).toBeGreaterThan(0.95);
  });
});
