// Panel 2 — the vanishing gradient (figures 9-4, 9-5): per-layer gradient norms of a deep sigmoid
// network against the same network with ReLU, on a log scale, as both train; and the sigmoid with its
// derivative, whose maximum is 0.25.
import { el, fmt, tr } from '../dom.js';
import { onLang, t } from '../i18n.js';
import { expose, field, hover, runBar, slider } from '../ui.js';
import { spawn } from '../worker-client.js';
import { LineChart } from '../draw/chart.js';
import { axes, dot, label, line, linear, logScale, setup, type Box, type Scale } from '../draw/canvas.js';
import type { Panel } from './panel.js';

interface Run {
  act: string;
  init: string;
  norms: number[];
  loss: number[];
  acc: number[];
}
interface State {
  type: 'state';
  epoch: number;
  depth: number;
  runs: Run[];
  running: boolean;
}
interface Sigmoid {
  type: 'sigmoid';
  xs: Float32Array;
  f: Float32Array;
  d: Float32Array;
}

const COLORS: Record<string, string> = { sigmoid: '#9333ea', relu: '#16a34a' };
const BW = 430;
const BH = 270;

export const vanishingPanel: Panel = {
  id: 'vanishing',
  title: 'tab_vanishing',
  figures: ['fig9_4', 'fig9_5'],
  intro: 'vg_intro',
  mount(section) {
    let state: State | undefined;
    let sig: Sigmoid | undefined;
    const job = spawn<State | Sigmoid>('vanishing', {}, (m) => (status.textContent = m));
    const bars = [el('canvas', { 'data-kind': 'sigmoid' }), el('canvas', { 'data-kind': 'relu' })];
    const sigCanvas = el('canvas');
    const lossCanvas = el('canvas');
    const lossChart = new LineChart(lossCanvas, { width: BW, height: 240, xLabel: () => t('epoch'), yLabel: () => t('loss_bce') });
    const status = el('div', { class: 'status' });
    const scales: { xs?: Scale; ys?: Scale; box?: Box }[] = [{}, {}];
    let sigScale: { xs: Scale; ys: Scale } | undefined;

    const bar = runBar({ run: () => job.send({ type: 'run' }), pause: () => job.send({ type: 'pause' }), reset: () => job.send({ type: 'reset' }) });
    const depth = slider({ min: 3, max: 20, step: 1, value: 10, name: 'depth' }, (v) => job.send({ type: 'config', depth: v }));
    const width = slider({ min: 4, max: 64, step: 4, value: 16, name: 'width' }, (v) => job.send({ type: 'config', width: v }));
    const lr = slider({ min: -3, max: 0, step: 0.1, value: Math.log10(0.05), name: 'lr', map: (v) => +(10 ** v).toPrecision(2) }, (v) => job.send({ type: 'config', lr: v }));

    section.append(
      el('div', { class: 'controls' }, bar.node, field('vg_depth', depth.input, depth.out), field('vg_width', width.input, width.out), field('learning_rate', lr.input, lr.out), tr('vg_setup', 'span')),
      el('div', { class: 'row' }, bars[0], bars[1]),
      el('div', { class: 'row' }, el('div', { class: 'col' }, tr('vg_loss_title', 'h3'), lossCanvas), el('div', { class: 'col' }, tr('fig9_5', 'h3'), sigCanvas)),
      status,
    );

    const drawBars = () => {
      if (!state) return;
      const all = state.runs.flatMap((r) => r.norms).filter((v) => v > 0);
      const lo = 10 ** Math.floor(Math.log10(Math.min(1e-4, ...all)));
      const hi = 10 ** Math.ceil(Math.log10(Math.max(1, ...all)));
      state.runs.forEach((run, k) => {
        const ctx = setup(bars[k], BW, BH);
        const box = { x: 56, y: 40, w: BW - 70, h: BH - 86 };
        const n = run.norms.length;
        const xs = linear(0.5, n + 0.5, box.x, box.x + box.w);
        const ys = logScale(lo, hi, box.y + box.h, box.y);
        scales[k] = { xs, ys, box };
        axes(ctx, box, xs, ys, { xTicks: ticksFor(n), xLabel: t('vg_layer_axis'), yLabel: '‖∂L/∂W‖' });
        const bw = Math.max(3, (box.w / n) * 0.7);
        run.norms.forEach((v, l) => {
          const x = xs(l + 1);
          const y = ys(Math.max(v, lo));
          ctx.fillStyle = COLORS[run.act];
          ctx.globalAlpha = 0.85;
          ctx.fillRect(x - bw / 2, y, bw, box.y + box.h - y);
          ctx.globalAlpha = 1;
        });
        label(ctx, `${run.act === 'sigmoid' ? t('sigmoid') : t('relu')} (${run.init}) · ${t('epoch')} ${state!.epoch}`, box.x, 18, { font: 'bold 13px system-ui', color: COLORS[run.act] });
        const ratio = run.norms[0] / run.norms[n - 1];
        label(ctx, `${t('vg_ratio')} ${ratio.toExponential(1)}`, box.x, 34, { color: '#374151' });
      });
    };

    const drawSigmoid = () => {
      if (!sig) return;
      const w = BW;
      const h = 240;
      const ctx = setup(sigCanvas, w, h);
      const box = { x: 56, y: 12, w: w - 70, h: h - 52 };
      const xs = linear(-6, 6, box.x, box.x + box.w);
      const ys = linear(-0.05, 1.05, box.y + box.h, box.y);
      sigScale = { xs, ys };
      axes(ctx, box, xs, ys, { zeroLines: true, xLabel: 'x' });
      const px = Array.from(sig.xs, xs);
      line(ctx, px, Array.from(sig.f, ys), { color: '#9333ea', width: 2 });
      line(ctx, px, Array.from(sig.d, ys), { color: '#2563eb', width: 2, dash: [6, 4] });
      const mid = sig.d.indexOf(Math.max(...sig.d));
      line(ctx, [box.x, xs(0)], [ys(0.25), ys(0.25)], { color: '#dc2626', width: 1, dash: [2, 3] });
      dot(ctx, xs(sig.xs[mid]), ys(sig.d[mid]), 4, '#dc2626');
      label(ctx, `${t('vg_max')} ${fmt(sig.d[mid], 4)}`, xs(0) + 8, ys(0.25) - 6, { color: '#dc2626', font: 'bold 12px system-ui' });
      label(ctx, 'σ(x)', xs(3.2), ys(0.98) + 14, { color: '#9333ea' });
      label(ctx, "σ'(x) = σ(x)(1 − σ(x))", xs(-5.7), ys(0.42), { color: '#2563eb' });
    };

    const drawLoss = () => {
      if (!state) return;
      lossChart.draw(state.runs.map((r) => ({ name: r.act === 'sigmoid' ? t('sigmoid') : t('relu'), color: COLORS[r.act], values: r.loss })));
      const relu = state.runs[1];
      const s = state.runs[0];
      expose(section, {
        loss: relu.loss.at(-1)!,
        lossStart: relu.loss[0],
        sigmoidLoss: s.loss.at(-1)!,
        epoch: state.epoch,
        sigmoidRatio: s.norms[0] / s.norms.at(-1)!,
        reluRatio: relu.norms[0] / relu.norms.at(-1)!,
      });
    };

    job.onMessage = (m) => {
      if (m.type === 'sigmoid') {
        sig = m;
        drawSigmoid();
        return;
      }
      state = m;
      bar.set(m.running);
      drawBars();
      drawLoss();
    };
    onLang(() => {
      drawBars();
      drawLoss();
      drawSigmoid();
    });
    bars.forEach((c, k) =>
      hover(c, (x) => {
        const sc = scales[k];
        if (!state || !sc.xs) return null;
        const run = state.runs[k];
        const l = Math.round(sc.xs.inv(x)) - 1;
        if (l < 0 || l >= run.norms.length) return null;
        return [`${t('vg_layer')} ${l + 1} (${run.act})`, `‖∂L/∂W‖ = ${run.norms[l].toExponential(3)}`, `${t('vg_vs_last')} ${(run.norms[l] / run.norms.at(-1)!).toExponential(2)}`];
      }),
    );
    hover(sigCanvas, (x) => {
      if (!sig || !sigScale) return null;
      const xv = sigScale.xs.inv(x);
      const i = Math.round(((xv + 6) / 12) * (sig.xs.length - 1));
      if (i < 0 || i >= sig.xs.length) return null;
      return [`x = ${fmt(sig.xs[i], 2)}`, `σ(x) = ${fmt(sig.f[i], 5)}`, `σ'(x) = ${fmt(sig.d[i], 5)}`];
    });
  },
};

function ticksFor(n: number): number[] {
  const every = n > 12 ? 2 : 1;
  return Array.from({ length: n }, (_, i) => i + 1).filter((v) => v === 1 || v % every === 0);
}
