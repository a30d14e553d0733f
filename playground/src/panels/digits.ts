// Panel 6 — handwritten digits: the 784-128-10 MNIST network trained in the page (in its worker), a live
// loss / accuracy chart, then a canvas to draw on; the drawing is brought to MNIST's form (20 × 20 box,
// centred by mass in 28 × 28) and the ten class probabilities are shown.
import { el, fmt, tr } from '../dom.js';
import { onLang, t } from '../i18n.js';
import { expose, hover, runBar } from '../ui.js';
import { assetUrl, spawn } from '../worker-client.js';
import { LineChart } from '../draw/chart.js';
import { label, setup } from '../draw/canvas.js';
import { toMnist } from '../lib/mnist.js';
import type { Panel } from './panel.js';

interface Epoch {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  seconds: number;
}
type Msg =
  | { type: 'loaded'; train: number; test: number; samples: { label: number; pixels: Uint8Array }[]; ms: number }
  | { type: 'state'; epoch: number; curve: { step: number[]; loss: number[]; acc: number[] }; epochs: Epoch[]; samplesPerSec: number; trainMs: number; running: boolean; maxEpochs: number }
  | { type: 'probs'; probs: Float32Array; id: number };

const PAD = 280;
const BARS_W = 330;
const BARS_H = 230;

export const digitsPanel: Panel = {
  id: 'digits',
  title: 'tab_digits',
  figures: [],
  intro: 'dg_intro',
  mount(section) {
    let probs: Float32Array | undefined;
    let input: Float32Array | null = null;
    let last: Extract<Msg, { type: 'state' }> | undefined;
    let requestId = 0;
    const job = spawn<Msg>('digits', { mnistUrl: assetUrl('mnist.u8.gz') }, (m) => (status.textContent = m));
    const lossCanvas = el('canvas');
    const accCanvas = el('canvas');
    const lossChart = new LineChart(lossCanvas, { width: 420, height: 210, logY: true, xLabel: () => t('epoch'), yLabel: () => t('loss_scce') });
    const accChart = new LineChart(accCanvas, { width: 420, height: 210, xLabel: () => t('epoch'), yLabel: () => t('accuracy'), y: [0, 1], legendAt: 'bottom' });
    const pad = el('canvas', { class: 'pad' });
    const preview = el('canvas', { class: 'preview' });
    const barsCanvas = el('canvas');
    const samples = el('div', { class: 'samples' });
    const info = el('div', { class: 'readout mono' });
    const status = el('div', { class: 'status' });
    const loadedNote = el('p', { class: 'note' });
    const clear = el('button', { i18n: 'dg_clear', 'data-role': 'clear' });
    const bar = runBar({ run: () => job.send({ type: 'run' }), pause: () => job.send({ type: 'pause' }), reset: () => job.send({ type: 'reset' }) });

    section.append(
      el('div', { class: 'controls' }, bar.node, info),
      el('div', { class: 'row' }, el('div', { class: 'col' }, tr('dg_loss_title', 'h3'), lossCanvas), el('div', { class: 'col' }, tr('dg_acc_title', 'h3'), accCanvas)),
      el(
        'div',
        { class: 'row' },
        el('div', { class: 'col' }, tr('dg_draw_title', 'h3'), pad, el('div', { class: 'controls' }, clear, tr('dg_draw_hint', 'span'))),
        el('div', { class: 'col' }, tr('dg_input_title', 'h3'), preview, tr('dg_samples_title', 'h3'), samples, loadedNote),
        el('div', { class: 'col' }, tr('dg_probs_title', 'h3'), barsCanvas),
      ),
      status,
    );

    // The drawing pad: white ink on black, like MNIST.
    const padCtx = setup(pad, PAD, PAD);
    const clearPad = () => {
      padCtx.fillStyle = '#000000';
      padCtx.fillRect(0, 0, PAD, PAD);
      input = null;
      probs = undefined;
      drawPreview();
      drawBars();
    };
    clearPad();
    let drawing = false;
    let lastPt: [number, number] | null = null;
    const at = (e: PointerEvent): [number, number] => {
      const r = pad.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    pad.addEventListener('pointerdown', (e) => {
      drawing = true;
      pad.setPointerCapture?.(e.pointerId);
      lastPt = at(e);
      stroke(lastPt, lastPt);
    });
    pad.addEventListener('pointermove', (e) => {
      if (!drawing) return;
      const p = at(e);
      stroke(lastPt!, p);
      lastPt = p;
      classify();
    });
    const end = () => {
      if (!drawing) return;
      drawing = false;
      classify();
    };
    pad.addEventListener('pointerup', end);
    pad.addEventListener('pointerleave', end);
    clear.addEventListener('click', clearPad);
    function stroke(a: [number, number], b: [number, number]) {
      padCtx.strokeStyle = '#ffffff';
      padCtx.lineWidth = 20;
      padCtx.lineCap = 'round';
      padCtx.lineJoin = 'round';
      padCtx.beginPath();
      padCtx.moveTo(a[0], a[1]);
      padCtx.lineTo(b[0], b[1]);
      padCtx.stroke();
    }
    function classify() {
      const img = padCtx.getImageData(0, 0, pad.width, pad.height);
      const ink = new Float32Array(pad.width * pad.height);
      for (let i = 0; i < ink.length; i++) ink[i] = img.data[4 * i] / 255;
      input = toMnist(ink, pad.width, pad.height);
      drawPreview();
      if (input) job.send({ type: 'predict', pixels: input, id: ++requestId });
    }

    function drawPreview() {
      const ctx = setup(preview, 140, 140);
      const img = ctx.createImageData(28, 28);
      for (let i = 0; i < 784; i++) {
        const v = Math.round((input?.[i] ?? 0) * 255);
        img.data.set([v, v, v, 255], 4 * i);
      }
      const tmp = document.createElement('canvas');
      tmp.width = tmp.height = 28;
      tmp.getContext('2d')!.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(tmp, 0, 0, 140, 140);
    }

    function drawBars() {
      const ctx = setup(barsCanvas, BARS_W, BARS_H);
      const rowH = (BARS_H - 10) / 10;
      const best = probs ? probs.indexOf(Math.max(...probs)) : -1;
      for (let d = 0; d < 10; d++) {
        const y = 5 + d * rowH;
        label(ctx, String(d), 14, y + rowH / 2 + 5, { align: 'center', font: 'bold 14px system-ui' });
        const p = probs?.[d] ?? 0;
        ctx.fillStyle = '#f3f4f6';
        ctx.fillRect(30, y + 3, BARS_W - 100, rowH - 6);
        ctx.fillStyle = d === best ? '#dc2626' : '#2563eb';
        ctx.fillRect(30, y + 3, (BARS_W - 100) * p, rowH - 6);
        label(ctx, probs ? `${(p * 100).toFixed(1)}%` : '—', BARS_W - 8, y + rowH / 2 + 5, { align: 'right', font: '12px ui-monospace, monospace' });
      }
      if (probs) {
        const order = Array.from(probs.keys()).sort((a, b) => probs![b] - probs![a]);
        expose(section, { prediction: order[0], top2: `${order[0]},${order[1]}`, probs: Array.from(probs, (p) => p.toFixed(4)).join(',') });
      }
    }

    const drawCharts = () => {
      if (!last) return;
      const { curve, epochs } = last;
      lossChart.draw([
        { name: t('dg_train_running'), color: '#2563eb', values: curve.loss, x: curve.step },
        { name: t('db_test'), color: '#ea580c', values: epochs.map((e) => e.valLoss), x: epochs.map((e) => e.epoch) },
      ]);
      accChart.draw([
        { name: t('dg_train_running'), color: '#2563eb', values: curve.acc, x: curve.step },
        { name: t('db_test'), color: '#ea580c', values: epochs.map((e) => e.valAcc), x: epochs.map((e) => e.epoch) },
      ]);
      const e = epochs.at(-1);
      info.textContent = `${t('epoch')} ${last.epoch}/${last.maxEpochs} · ${t('dg_speed')} ${Math.round(last.samplesPerSec).toLocaleString()} /s · ${t('dg_time')} ${(last.trainMs / 1000).toFixed(1)} s` + (e ? ` · ${t('dg_test_acc')} ${fmt(e.valAcc, 4)}` : '');
      // Seconds of training until the held-out accuracy first reached 0.9.
      const first = epochs.find((q) => q.valAcc >= 0.9);
      expose(section, { epoch: last.epoch });
      if (curve.loss.length) expose(section, { loss: curve.loss.at(-1)!, lossStart: curve.loss[0], accuracy: e?.valAcc ?? 0, epoch: last.epoch, seconds: last.trainMs / 1000, secondsTo90: first?.seconds ?? -1, epochTo90: first?.epoch ?? -1 });
    };

    job.onMessage = (m) => {
      if (m.type === 'loaded') {
        loadedNote.textContent = `${t('dg_loaded')} ${m.train.toLocaleString()} + ${m.test.toLocaleString()} (${m.ms.toFixed(0)} ms)`;
        samples.textContent = '';
        for (const s of m.samples) {
          const c = el('canvas', { title: String(s.label) });
          c.width = c.height = 28;
          const ctx = c.getContext('2d')!;
          const img = ctx.createImageData(28, 28);
          for (let i = 0; i < 784; i++) img.data.set([s.pixels[i], s.pixels[i], s.pixels[i], 255], 4 * i);
          ctx.putImageData(img, 0, 0);
          samples.append(c);
        }
      } else if (m.type === 'state') {
        last = m;
        bar.set(m.running);
        drawCharts();
        if (input) job.send({ type: 'predict', pixels: input, id: ++requestId });
      } else if (m.type === 'probs' && m.id === requestId) {
        probs = m.probs;
        drawBars();
      }
    };
    onLang(() => {
      drawCharts();
      drawBars();
    });
    hover(barsCanvas, (_, y) => {
      const d = Math.floor((y - 5) / ((BARS_H - 10) / 10));
      if (d < 0 || d > 9) return null;
      return probs ? [`${t('dg_digit')} ${d}: p = ${probs[d].toFixed(5)}`] : null;
    });
    hover(preview, (x, y) => {
      const [i, j] = [Math.floor(x / 5), Math.floor(y / 5)];
      if (!input || i < 0 || j < 0 || i > 27 || j > 27) return null;
      return [`(${i}, ${j}) = ${input[j * 28 + i].toFixed(3)}`];
    });
  },
};
