import { describe, expect, it } from 'vitest';
import { History } from '../../src/train/history.js';
import { confusionCounts, confusionMatrix, escapeXml, history, niceTicks, predictedVsActual } from '../../src/plot/index.js';
import { findAll, hasClass, parseXml, textOf, type XmlElement } from './xml.js';

const byClass = (root: XmlElement, cls: string) => findAll(root, (e) => hasClass(e, cls));
const points = (polyline: XmlElement) => polyline.attrs.points.trim().split(/\s+/).filter(Boolean);

function fakeHistory(epochs: number, keys: string[]): History {
  const h = new History();
  for (let e = 0; e < epochs; e++) {
    const logs: Record<string, number> = {};
    keys.forEach((k, i) => (logs[k] = k.includes('acc') ? 0.5 + (0.4 * e) / epochs + i * 0.01 : 1 / (e + 1) + i * 0.05));
    h.record(e, logs);
  }
  return h;
}

describe('the XML checker used by these tests', () => {
  it('accepts well-formed XML and rejects the usual mistakes', () => {
    const ok = parseXml('<?xml version="1.0"?>\n<!-- c --><a x="1" y=\'&lt;&amp;&#65;&#x42;\'><b/>t &gt; <![CDATA[<raw>]]><c></c></a>\n');
    expect(ok.attrs.y).toBe('<&AB');
    expect(textOf(ok)).toBe('t > <raw>');
    for (const bad of ['<a>', '<a></b>', '<a x=1/>', '<a x="1" x="2"/>', '<a>&nbsp;</a>', '<a>&</a>', '<a>x < y</a>', '<a/><b/>', 'text<a/>', '<a x="<"/>', '<a><!-- -- --></a>', '<a>\u0001</a>', '<a b="1"c="2"/>']) {
      expect(() => parseXml(bad), bad).toThrow(/not well-formed/);
    }
  });
});

describe('escapeXml and ticks', () => {
  it('escapes markup characters and replaces characters XML cannot hold', () => {
    expect(escapeXml(`<a & "b" 'c'>`)).toBe('&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;');
    expect(escapeXml('x\u0000y\uD800z')).toBe('x\uFFFDy\uFFFDz');
    expect(escapeXml('😀 ok')).toBe('😀 ok');
  });

  it('nice ticks cover the data with round steps', () => {
    expect(niceTicks(0.213, 0.987).values).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.213, 0.987).format(0.4)).toBe('0.4');
    expect(niceTicks(1, 200, 6, true).values).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(1, 3, 6, true).values).toEqual([1, 2, 3]);
    expect(niceTicks(5, 5).values.length).toBeGreaterThan(1);
    expect(niceTicks(-0.03, 0.02).values).toEqual([-0.03, -0.02, -0.01, 0, 0.01, 0.02]);
    expect(niceTicks(34900, 755000).format(2e5)).toBe('200000');
    expect(niceTicks(0, 2e9).format(1e9)).toBe('1e9');
  });
});

describe('plot.history', () => {
  it('one panel per metric family with training and validation polylines of one point per epoch, legend, axes and title', () => {
    const h = fakeHistory(12, ['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    const svg = history(h, { title: 'Sonar <MSE> & accuracy' });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(textOf(byClass(root, 'title')[0])).toBe('Sonar <MSE> & accuracy');
    const panels = byClass(root, 'panel');
    expect(panels.map((p) => p.attrs['data-metric'])).toEqual(['loss', 'accuracy']);
    for (const p of panels) {
      const metric = p.attrs['data-metric'];
      const series = byClass(p, 'series');
      expect(series.map((s) => s.attrs['data-series'])).toEqual([metric, `val_${metric}`]);
      for (const s of series) {
        const [line] = findAll(s, (e) => e.name === 'polyline');
        expect(points(line)).toHaveLength(12);
        expect(findAll(s, (e) => e.name === 'circle')).toHaveLength(12);
      }
      expect(byClass(p, 'legend-item').map((l) => [l.attrs['data-series'], textOf(l)])).toEqual([
        [metric, `training ${metric}`],
        [`val_${metric}`, `validation ${metric}`],
      ]);
      const labels = byClass(p, 'axis-label').map(textOf);
      expect(labels).toEqual(['epoch', metric]);
      expect(byClass(p, 'tick-label').length).toBeGreaterThan(4);
      // Epochs are numbered from 1: the x ticks stay within [0, 12].
      const xTicks = byClass(byClass(p, 'x-axis')[0], 'tick-label').map((t) => Number(textOf(t)));
      expect(Math.min(...xTicks)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xTicks)).toBeLessThanOrEqual(12);
    }
  });

  it('points are placed inside the plot frame, and larger values sit higher', () => {
    const root = parseXml(history({ loss: [4, 3, 2, 1] }));
    const frame = byClass(root, 'frame')[0].attrs;
    const xy = points(findAll(root, (e) => e.name === 'polyline')[0]).map((p) => p.split(',').map(Number));
    for (const [x, y] of xy) {
      expect(x).toBeGreaterThanOrEqual(Number(frame.x));
      expect(x).toBeLessThanOrEqual(Number(frame.x) + Number(frame.width));
      expect(y).toBeGreaterThanOrEqual(Number(frame.y));
      expect(y).toBeLessThanOrEqual(Number(frame.y) + Number(frame.height));
    }
    expect(xy[0][1]).toBeLessThan(xy[3][1]);
    expect(xy[0][0]).toBeLessThan(xy[3][0]);
  });

  it('plain history records, metric choice, many epochs without markers, gaps for NaN, names that need escaping', () => {
    const many = parseXml(history({ loss: Array.from({ length: 300 }, (_, i) => 1 / (i + 1)) }));
    expect(points(findAll(many, (e) => e.name === 'polyline')[0])).toHaveLength(300);
    expect(findAll(many, (e) => e.name === 'circle')).toHaveLength(0);
    const h = fakeHistory(5, ['loss', 'mae', 'val_loss', 'val_mae', 'lr']);
    const only = parseXml(history(h, { metrics: ['mae'], columns: 1 }));
    expect(byClass(only, 'panel').map((p) => p.attrs['data-metric'])).toEqual(['mae']);
    expect(byClass(parseXml(history(h)), 'panel')).toHaveLength(3);
    const gap = parseXml(history({ loss: [1, NaN, 0.5, Infinity, 0.25] }));
    expect(points(findAll(gap, (e) => e.name === 'polyline')[0])).toHaveLength(3);
    const odd = parseXml(history({ 'a<b & "c"': [1, 2], 'val_a<b & "c"': [2, 3] }));
    expect(byClass(odd, 'panel')[0].attrs['data-metric']).toBe('a<b & "c"');
    expect(byClass(parseXml(history({ loss: [NaN, NaN] })), 'note').map(textOf)).toEqual(['no finite values']);
    expect(byClass(parseXml(history({ loss: [0.7] })), 'series')).toHaveLength(1);
  });

  it('logY draws chosen panels on a log scale with power-of-ten ticks; the legend moves off the data', () => {
    const loss = Array.from({ length: 50 }, (_, i) => 600 / (i + 1) ** 2 + 5);
    const root = parseXml(history({ loss, val_loss: loss.map((v) => v * 1.1), accuracy: loss.map((_, i) => i / 50) }, { logY: ['loss'] }));
    const [lossPanel, accPanel] = byClass(root, 'panel');
    expect(byClass(lossPanel, 'axis-label').map(textOf)).toEqual(['epoch', 'loss (log scale)']);
    expect(byClass(byClass(lossPanel, 'y-axis')[0], 'tick-label').map(textOf)).toEqual(['1', '10', '100', '1000']);
    expect(byClass(accPanel, 'axis-label').map(textOf)).toEqual(['epoch', 'accuracy']);
    expect(points(findAll(lossPanel, (e) => e.name === 'polyline')[0])).toHaveLength(50);
    // Rising accuracy fills the top-right corner, so its legend goes to the bottom-right.
    const frame = byClass(accPanel, 'frame')[0].attrs;
    const box = findAll(byClass(accPanel, 'legend')[0], (e) => e.name === 'rect')[0].attrs;
    expect(Number(box.y)).toBeGreaterThan(Number(frame.y) + Number(frame.height) / 2);
    expect(points(findAll(parseXml(history({ loss: [1, 0, -1, 0.5] }, { logY: true })), (e) => e.name === 'polyline')[0])).toHaveLength(2);
  });

  it('refuses what it cannot draw', () => {
    expect(() => history({ history: {} })).toThrow(/no logged values/);
    expect(() => history({ loss: [1] }, { metrics: ['accuracy'] })).toThrow(/no metric "accuracy" was logged; the history has "loss"/);
    expect(() => history({ loss: ['a'] } as never)).toThrow(/loss\[0\] is "a", not a number/);
    expect(() => history(null as never)).toThrow(/pass the History/);
  });
});

describe('plot.confusionMatrix', () => {
  const yTrue = [0, 0, 1, 1, 2, 2, 2, 1];
  const yPred = [0, 1, 1, 1, 2, 0, 2, 1];

  it('counts (rows true, columns predicted) from labels, one-hot, softmax or probabilities', () => {
    expect(confusionCounts(yTrue, yPred)).toEqual([[1, 1, 0], [0, 3, 0], [1, 0, 2]]);
    const soft = yPred.map((k) => [0.1, 0.1, 0.1].map((v, j) => (j === k ? 0.8 : v)));
    expect(confusionCounts(yTrue, soft)).toEqual(confusionCounts(yTrue, yPred));
    expect(confusionCounts([0, 1, 1, 0], [[0.2], [0.9], [0.4], [0.6]])).toEqual([[1, 1], [1, 1]]);
    expect(() => confusionCounts([0, 1], [0])).toThrow(/yTrue has 2 rows but yPred has 1/);
    expect(() => confusionCounts([0, 3], [0, 1], 2)).toThrow(/class 3, but there are only 2 classes/);
    expect(() => confusionCounts([0, 1], [0.5, 2.5])).toThrow(/class numbers .* or probabilities in \[0, 1\]/);
  });

  it('an SVG grid of k × k cells with counts, colour scale, class names and axis labels', () => {
    const labels = ['Iris-setosa', 'Iris-versicolor', 'Iris <virginica>'];
    const root = parseXml(confusionMatrix(yTrue, yPred, { labels, title: 'Iris' }));
    const cells = byClass(root, 'cell');
    expect(cells).toHaveLength(9);
    const get = (i: number, j: number) => cells.find((c) => c.attrs['data-true'] === String(i) && c.attrs['data-pred'] === String(j))!;
    expect(textOf(get(1, 1))).toBe('3');
    expect(get(2, 0).attrs['data-count']).toBe('1');
    // Darker fill for larger counts.
    const fill = (c: XmlElement) => findAll(c, (e) => e.name === 'rect')[0].attrs.fill;
    const lum = (hex: string) => parseInt(hex.slice(1, 3), 16) + parseInt(hex.slice(3, 5), 16) + parseInt(hex.slice(5, 7), 16);
    expect(lum(fill(get(1, 1)))).toBeLessThan(lum(fill(get(0, 0))));
    expect(lum(fill(get(0, 0)))).toBeLessThan(lum(fill(get(0, 2))));
    expect(byClass(byClass(root, 'x-axis')[0], 'tick-label').map(textOf)).toEqual(labels);
    expect(byClass(byClass(root, 'y-axis')[0], 'tick-label').map(textOf)).toEqual(labels);
    expect(byClass(root, 'axis-label').map(textOf)).toEqual(['predicted label', 'true label']);
    expect(byClass(root, 'color-scale')).toHaveLength(1);
    expect(textOf(byClass(root, 'summary')[0])).toBe('8 samples, accuracy 0.75');
    const norm = parseXml(confusionMatrix(yTrue, yPred, { normalize: true }));
    expect(byClass(norm, 'share').map(textOf)).toContain('66.67%');
    expect(byClass(parseXml(confusionMatrix([0, 1], [1, 1], { numClasses: 4 })), 'cell')).toHaveLength(16);
  });
});

describe('plot.predictedVsActual', () => {
  it('one point per sample on equal axes, the y = x line, labels and the fit summary', () => {
    const actual = [22.6, 50, 23.8, 8.3, 21.2, 19.9];
    const predicted = [20.13, 24.16, 25.1, 10.2, 20.9, 18.4];
    const root = parseXml(predictedVsActual(actual, { data: new Float32Array(predicted), shape: [6, 1] }, { title: 'Boston housing: MEDV' }));
    expect(byClass(root, 'point')).toHaveLength(6);
    const id = byClass(root, 'identity')[0].attrs;
    // The identity line runs corner to corner of the square domain: bottom-left to top-right.
    const frame = byClass(root, 'frame')[0].attrs;
    expect(Number(id.x1)).toBe(Number(frame.x));
    expect(Number(id.y2)).toBe(Number(frame.y));
    expect(byClass(root, 'axis-label').map(textOf)).toEqual(['actual', 'predicted']);
    expect(textOf(byClass(root, 'summary')[0])).toMatch(/^n = 6, RMSE = 10\.\d+, R² = -?0\.\d+$/);
    // Equal axes: same tick labels on x and y.
    const ticks = (axis: string) => byClass(byClass(root, axis)[0], 'tick-label').map(textOf);
    expect(ticks('x-axis')).toEqual(ticks('y-axis'));
    // A point on the diagonal sits on the line.
    const one = parseXml(predictedVsActual([1, 2, 3], [1, 2, 3]));
    expect(textOf(byClass(one, 'summary')[0])).toBe('n = 3, RMSE = 0, R² = 1');
    expect(() => predictedVsActual([1, 2], [1])).toThrow(/yTrue has 2 values but yPred has 1/);
    expect(() => predictedVsActual([[1, 2]], [[1, 2]])).toThrow(/one value per row, got 2 columns/);
  });
});

describe('plot options are checked', () => {
  const h = fakeHistory(3, ['loss', 'val_loss']);
  const labels = (svg: string) => byClass(parseXml(svg), 'axis-label').map(textOf);

  it('a misspelt option, or a misspelt colour role, gets the closest name', () => {
    expect(() => history(h, { xlable: 'step' } as object)).toThrow("history: unknown option 'xlable' — did you mean 'xLabel'?");
    expect(() => history(h, { colors: { validaton: 'red' } } as object)).toThrow("history: colors: unknown option 'validaton' — did you mean 'validation'?");
    expect(() => confusionMatrix([0, 1], [0, 1], { normalise: true } as object)).toThrow("confusionMatrix: unknown option 'normalise' — did you mean 'normalize'?");
    expect(() => predictedVsActual([1, 2], [1, 2], { colour: 'red' } as object)).toThrow("predictedVsActual: unknown option 'colour' — did you mean 'color'?");
  });

  it("snake_case is the same option, and the caller's object is left as it was", () => {
    const given = { x_label: 'step', colors: { training: 'red' } };
    expect(labels(history(h, given as object))[0]).toBe('step');
    expect(given).toEqual({ x_label: 'step', colors: { training: 'red' } });
    expect(labels(predictedVsActual([1, 2], [1, 2], { x_label: 'truth', y_label: 'model' } as object))).toEqual(['truth', 'model']);
    const cells = (svg: string) => byClass(parseXml(svg), 'cell').length;
    expect(cells(confusionMatrix([0, 1], [0, 1], { num_classes: 4 } as object))).toBe(16);
  });

  it("scikit-learn's display_labels says to use labels", () => {
    expect(() => confusionMatrix([0, 1], [0, 1], { display_labels: ['a', 'b'] } as object)).toThrow("confusionMatrix: option 'display_labels' is not supported by deltaflow; use labels (class names in code order)");
  });
});
