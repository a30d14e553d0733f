// Panel 5 — decision boundaries, TensorFlow-Playground style: 2-D data sets (or points you click), a
// network you configure, the boundary as a heat map while it trains, and the training and test losses.
import { el, fmt, tr } from '../dom.js';
import { onLang, t } from '../i18n.js';
import { expose, field, hover, runBar, select, slider } from '../ui.js';
import { spawn } from '../worker-client.js';
import { LineChart } from '../draw/chart.js';
import { dot, label, linear, setup } from '../draw/canvas.js';
import { diverging } from '../draw/colors.js';
import { fieldImage } from '../draw/contour.js';
import { datasetKeys, EXTENT, generate, GRID, toArrays, type DatasetKey, type Point } from '../lib/datasets.js';
import type { Panel } from './panel.js';

interface State {
  type: 'state';
  epoch: number;
  out: Float32Array;
  trainLoss: number[];
  testLoss: number[];
  trainAcc: number;
  testAcc: number;
  running: boolean;
}

const S = 420;
const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'linear', 'leakyRelu', 'elu', 'gelu', 'swish', 'softplus'];
const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'amsgrad', 'adamax', 'nadam', 'adamw', 'lion'];

export const boundaryPanel: Panel = {
  id: 'boundary',
  title: 'tab_boundary',
  figures: [],
  intro: 'db_intro',
  mount(section) {
    let dataset: DatasetKey = 'spirals';
    let noise = 0.1;
    let points: Point[] = [];
    const custom: Point[] = [];
    let clickClass: 0 | 1 = 1;
    let state: State | undefined;
    const cfg = { layers: [8, 8, 8], activation: 'tanh', optimizer: 'adam', lr: 0.01, batchSize: 10 };
    const job = spawn<State>('boundary', {}, (m) => (status.textContent = m));
    const canvas = el('canvas', { class: 'plane' });
    const lossCanvas = el('canvas');
    const chart = new LineChart(lossCanvas, { width: 420, height: 220, xLabel: () => t('epoch'), yLabel: () => t('loss_bce') });
    const stats = el('div', { class: 'readout mono' });
    const status = el('div', { class: 'status' });
    const xs = linear(-EXTENT, EXTENT, 0, S);
    const ys = linear(-EXTENT, EXTENT, S, 0);
    const split = () => Math.round(points.length * (dataset === 'custom' ? 1 : 0.6));

    const sendData = () => {
      points = dataset === 'custom' ? custom.slice() : generate(dataset, 300, noise, 1);
      const cut = split();
      job.send({ type: 'data', train: toArrays(points.slice(0, cut)), test: toArrays(points.slice(cut)) });
    };
    const sendConfig = () => job.send({ type: 'config', cfg: { ...cfg, layers: cfg.layers.slice() } });

    const bar = runBar({ run: () => job.send({ type: 'run' }), pause: () => job.send({ type: 'pause' }), reset: () => job.send({ type: 'reset' }) });
    const dataSel = select(datasetKeys.map((k) => [k, `ds_${k}`] as [string, 'ds_xor']), dataset, (v) => {
      dataset = v as DatasetKey;
      customBox.hidden = dataset !== 'custom';
      sendData();
    }, 'dataset');
    const noiseS = slider({ min: 0, max: 0.5, step: 0.05, value: noise, name: 'noise' }, (v) => {
      noise = v;
      if (dataset !== 'custom') sendData();
    });
    const layersS = slider({ min: 0, max: 5, step: 1, value: cfg.layers.length, name: 'layers' }, (v) => {
      cfg.layers = Array.from({ length: v }, () => unitsS.value());
      sendConfig();
    });
    const unitsS = slider({ min: 1, max: 16, step: 1, value: 8, name: 'units' }, (v) => {
      cfg.layers = cfg.layers.map(() => v);
      sendConfig();
    });
    const actSel = select(ACTIVATIONS, cfg.activation, (v) => ((cfg.activation = v), sendConfig()), 'activation');
    const optSel = select(OPTIMIZERS, cfg.optimizer, (v) => ((cfg.optimizer = v), sendConfig()), 'optimizer');
    const lrS = slider({ min: -4, max: 0, step: 0.1, value: Math.log10(cfg.lr), name: 'lr', map: (v) => +(10 ** v).toPrecision(2) }, (v) => ((cfg.lr = v), sendConfig()));
    const speedS = slider({ min: 1, max: 20, step: 1, value: 2, name: 'speed' }, (v) => job.send({ type: 'speed', speed: v }));
    const batchS = slider({ min: 1, max: 64, step: 1, value: cfg.batchSize, name: 'batch' }, (v) => ((cfg.batchSize = v), sendConfig()));
    const classBtn = el('button', { class: 'class-btn' });
    const paintClass = () => {
      classBtn.textContent = `${t('db_click_class')} ${clickClass}`;
      classBtn.style.background = `rgb(${diverging(clickClass).join(',')})`;
    };
    classBtn.addEventListener('click', () => {
      clickClass = clickClass ? 0 : 1;
      paintClass();
    });
    const clearBtn = el('button', { i18n: 'db_clear' });
    clearBtn.addEventListener('click', () => {
      custom.length = 0;
      sendData();
    });
    const customBox = el('span', { class: 'custom', hidden: true }, classBtn, clearBtn, tr('db_click_hint', 'span'));
    paintClass();

    section.append(
      el(
        'div',
        { class: 'controls' },
        bar.node,
        field('db_dataset', dataSel),
        field('db_noise', noiseS.input, noiseS.out),
        customBox,
      ),
      el(
        'div',
        { class: 'controls' },
        field('db_layers', layersS.input, layersS.out),
        field('db_units', unitsS.input, unitsS.out),
        field('db_activation', actSel),
        field('db_optimizer', optSel),
        field('learning_rate', lrS.input, lrS.out),
        field('db_batch', batchS.input, batchS.out),
        field('bp_speed', speedS.input, speedS.out),
      ),
      el('div', { class: 'row' }, canvas, el('div', { class: 'col' }, tr('db_loss_title', 'h3'), lossCanvas, stats)),
      status,
    );

    const draw = () => {
      const ctx = setup(canvas, S, S);
      if (state) {
        const img = fieldImage(state.out, GRID, GRID, (p) => diverging(p));
        ctx.imageSmoothingEnabled = true;
        // Lighter than the points, so they stand out (as in TensorFlow Playground).
        ctx.globalAlpha = 0.6;
        ctx.drawImage(img, 0, 0, S, S);
        ctx.globalAlpha = 1;
      }
      const cut = split();
      points.forEach((p, i) => {
        const [r, g, b] = diverging(p.label);
        dot(ctx, xs(p.x), ys(p.y), 3.8, `rgb(${r},${g},${b})`, i < cut ? '#ffffff' : '#111827');
      });
      if (!points.length) label(ctx, t('db_click_hint'), S / 2, S / 2, { align: 'center', color: '#374151' });
      if (state) {
        const last = (a: number[]) => a.at(-1) ?? NaN;
        chart.draw([
          { name: t('db_train'), color: '#2563eb', values: state.trainLoss },
          { name: t('db_test'), color: '#ea580c', values: state.testLoss },
        ]);
        stats.textContent = '';
        stats.append(
          el('div', {}, `${t('epoch')} ${state.epoch}`),
          el('div', {}, `${t('db_train')}: ${t('loss')} ${fmt(last(state.trainLoss), 4)} · ${t('accuracy')} ${fmt(state.trainAcc, 3)}`),
          el('div', {}, `${t('db_test')}: ${t('loss')} ${fmt(last(state.testLoss), 4)} · ${t('accuracy')} ${fmt(state.testAcc, 3)}`),
        );
        expose(section, { loss: last(state.trainLoss), lossStart: state.trainLoss[0], testLoss: last(state.testLoss), epoch: state.epoch, dataset });
      }
    };

    canvas.addEventListener('click', (e) => {
      if (dataset !== 'custom') return;
      const r = canvas.getBoundingClientRect();
      custom.push({ x: xs.inv(e.clientX - r.left), y: ys.inv(e.clientY - r.top), label: e.shiftKey ? (clickClass ? 0 : 1) : clickClass });
      sendData();
    });
    job.onMessage = (m) => {
      state = m;
      bar.set(m.running);
      draw();
    };
    onLang(() => {
      paintClass();
      draw();
    });
    hover(canvas, (x, y) => {
      const [u, v] = [xs.inv(x), ys.inv(y)];
      const lines = [`(${fmt(u, 2)}, ${fmt(v, 2)})`];
      if (state) {
        const i = Math.min(GRID - 1, Math.floor(((u + EXTENT) / (2 * EXTENT)) * GRID));
        const j = Math.min(GRID - 1, Math.floor(((v + EXTENT) / (2 * EXTENT)) * GRID));
        lines.push(`p(1) = ${fmt(state.out[j * GRID + i], 4)}`);
      }
      const near = points.findIndex((p) => Math.hypot(xs(p.x) - x, ys(p.y) - y) < 5);
      if (near >= 0) lines.push(`${near < split() ? t('db_train') : t('db_test')} · ${t('db_label')} ${points[near].label}`);
      return lines;
    });
    sendConfig();
    sendData();
  },
};
