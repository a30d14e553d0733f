// Panel 1 — backpropagation, step by step (figures 9-1, 9-2, 9-3): a 2-2-1 sigmoid network on XOR.
// Each click of "step" shows one stage with its numbers; the agreement table compares the hand-computed
// gradients with deltaflow's computeGradients on the same weights; "run" trains with deltaflow.
import { el, fmt, tr } from '../dom.js';
import { onLang, t, type Key } from '../i18n.js';
import { field, hover, runBar, select, slider, expose } from '../ui.js';
import { spawn } from '../worker-client.js';
import { LineChart } from '../draw/chart.js';
import { dot, label, line, setup, INK, MUTED } from '../draw/canvas.js';
import type { BackpropState } from '../jobs/backprop.js';
import type { Panel } from './panel.js';

const W = 600;
const H = 340;
const POS = '#2563eb';
const NEG = '#ea580c';
const BACK = '#dc2626';

interface NodeAt {
  x: number;
  y: number;
  layer: number;
  unit: number;
}

interface EdgeAt {
  l: number;
  i: number;
  j: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const backpropPanel: Panel = {
  id: 'backprop',
  title: 'tab_backprop',
  figures: ['fig9_1', 'fig9_2', 'fig9_3'],
  intro: 'bp_intro',
  mount(section) {
    let s: BackpropState | undefined;
    const job = spawn<BackpropState>('backprop', {}, (m) => (status.textContent = m));
    const canvas = el('canvas', { class: 'net' });
    const chartCanvas = el('canvas');
    const chart = new LineChart(chartCanvas, { width: 360, height: 200, logY: true, xLabel: () => t('epoch'), yLabel: () => t('loss_mse') });
    const phaseBox = el('div', { class: 'phase' });
    const formulas = el('div', { class: 'formulas mono' });
    const agree = el('table', { class: 'agree mono' });
    const agreeNote = el('p', { class: 'note' });
    const xorTable = el('table', { class: 'xor mono' });
    const status = el('div', { class: 'status' });

    const bar = runBar({
      run: () => job.send({ type: 'run' }),
      pause: () => job.send({ type: 'pause' }),
      reset: () => job.send({ type: 'reset', newSeed: true }),
      step: () => job.send({ type: 'step' }),
    });
    const lr = slider({ min: 0.1, max: 5, step: 0.1, value: 1, name: 'lr' }, (v) => job.send({ type: 'config', lr: v }));
    const speed = slider({ min: 1, max: 50, step: 1, value: 5, name: 'speed' }, (v) => job.send({ type: 'config', speed: v }));
    const net = select(
      [
        ['2-2-1', 'bp_multi'],
        ['2-1', 'bp_single'],
      ],
      '2-2-1',
      (v) => job.send({ type: 'config', sizes: v.split('-').map(Number) }),
      'network',
    );

    section.append(
      el('div', { class: 'controls' }, bar.node, field('bp_network', net), field('learning_rate', lr.input, lr.out), field('bp_speed', speed.input, speed.out)),
      el(
        'div',
        { class: 'row' },
        el('div', { class: 'col' }, canvas, phaseBox, formulas),
        el(
          'div',
          { class: 'col' },
          tr('bp_agree_title', 'h3'),
          agree,
          agreeNote,
          tr('bp_xor_title', 'h3'),
          xorTable,
          tr('bp_loss_title', 'h3'),
          chartCanvas,
        ),
      ),
      status,
    );

    let nodes: NodeAt[] = [];
    let edges: EdgeAt[] = [];

    const draw = () => {
      if (!s) return;
      const ctx = setup(canvas, W, H);
      const { sizes, net, pass, phase } = s;
      const cols = sizes.length === 3 ? [90, 300, 510] : [140, 460];
      nodes = [];
      sizes.forEach((n, layer) => {
        for (let unit = 0; unit < n; unit++) nodes.push({ x: cols[layer], y: n === 1 ? 165 : 95 + unit * 150, layer, unit });
      });
      const at = (layer: number, unit: number) => nodes.find((n) => n.layer === layer && n.unit === unit)!;
      edges = [];
      net.W.forEach((Wl, l) => Wl.forEach((row, i) => row.forEach((_, j) => {
        const a = at(l, i);
        const b = at(l + 1, j);
        edges.push({ l, i, j, x0: a.x, y0: a.y, x1: b.x, y1: b.y });
      })));
      const L = net.W.length;
      // Which layer's weights are being corrected in this phase: ❷ the output layer, ❸ the one below.
      const active = phase === 1 ? L - 1 : phase === 2 ? L - 2 : -1;
      for (const e of edges) {
        const w = net.W[e.l][e.i][e.j];
        const hot = e.l === active || (phase === 2 && e.l === L - 1);
        line(ctx, [e.x0, e.x1], [e.y0, e.y1], { color: w >= 0 ? POS : NEG, width: 1 + Math.min(6, Math.abs(w) * 1.6), alpha: active >= 0 && !hot ? 0.25 : 0.85 });
        const tt = e.l === L - 1 && L > 1 ? 0.62 : 0.4;
        const lx = e.x0 + (e.x1 - e.x0) * tt;
        const ly = e.y0 + (e.y1 - e.y0) * tt;
        let text = `${weightName(sizes, e.l, e.i, e.j)} ${fmt(w, 3)}`;
        if (e.l === active) text = `∂E/∂${weightName(sizes, e.l, e.i, e.j)} ${fmt(pass.gW[e.l][e.i][e.j], 4)}`;
        if (phase === 3 && s.before) text = `${fmt(s.before.W[e.l][e.i][e.j], 3)}→${fmt(w, 3)}`;
        ctx.font = '11px ui-monospace, monospace';
        const tw = ctx.measureText(text).width;
        ctx.fillStyle = 'rgba(255,255,255,0.9)';
        ctx.fillRect(lx - tw / 2 - 3, ly - 9, tw + 6, 16);
        label(ctx, text, lx, ly + 3, { align: 'center', color: e.l === active ? BACK : INK, font: '11px ui-monospace, monospace' });
      }
      // Backward arrows: the error sent back from the output (figure 9-3).
      // Red arrows run against the edges whose layer's δ is known: the output layer's in ❷, all in ❸.
      if (phase === 1 || phase === 2) {
        for (const e of edges) {
          if (e.l < (phase === 1 ? L - 1 : L - 2)) continue;
          const [dx, dy] = [e.x1 - e.x0, e.y1 - e.y0];
          const len = Math.hypot(dx, dy);
          const [ox, oy] = [(-dy / len) * 9, (dx / len) * 9];
          const p = (u: number) => [e.x0 + dx * u + ox, e.y0 + dy * u + oy] as const;
          const [a, b] = [p(0.88), p(0.72)];
          arrow(ctx, a[0], a[1], b[0], b[1], BACK);
        }
      }
      for (const n of nodes) {
        const v = pass.acts[n.layer][n.unit];
        const isIn = n.layer === 0;
        const fill = isIn ? '#f3f4f6' : `rgba(37, 99, 235, ${0.15 + 0.7 * v})`;
        dot(ctx, n.x, n.y, 27, fill, '#374151');
        label(ctx, nodeName(sizes, n.layer, n.unit), n.x, n.y - 4, { align: 'center', font: 'bold 12px system-ui' });
        label(ctx, v.toFixed(3), n.x, n.y + 12, { align: 'center', font: '11px ui-monospace, monospace' });
        if (!isIn) {
          const b = net.b[n.layer - 1][n.unit];
          const bText = phase === 3 && s.before ? `b ${fmt(s.before.b[n.layer - 1][n.unit], 3)}→${fmt(b, 3)}` : `b ${fmt(b, 3)}`;
          label(ctx, bText, n.x, n.y + 44, { align: 'center', color: MUTED, font: '11px ui-monospace, monospace' });
          const showDelta = (phase === 1 && n.layer === L) || (phase === 2 && n.layer >= L - 1) || (phase === 3 && false);
          if (showDelta) label(ctx, `δ ${fmt(pass.deltas[n.layer - 1][n.unit], 4)}`, n.x, n.y - 36, { align: 'center', color: BACK, font: 'bold 12px ui-monospace, monospace' });
        }
      }
      label(ctx, `${t('bp_pattern')} ${s.sample + 1}/4: (${s.patterns[s.sample].join(', ')}) → y = ${s.targets[s.sample]}`, 12, 20, { color: MUTED });
      label(ctx, `${t('epoch')} ${s.epoch}`, W - 12, 20, { align: 'right', color: MUTED });
    };

    const phaseText = () => {
      if (!s) return;
      const single = s.sizes.length === 2;
      const keys: Key[] = single ? ['bp_phase0', 'bp_phase1_single', 'bp_phase1_single', 'bp_phase3'] : ['bp_phase0', 'bp_phase1', 'bp_phase2', 'bp_phase3'];
      phaseBox.textContent = s.running ? t('bp_running') : t(keys[s.phase]);
      phaseBox.dataset.phase = String(s.phase);
      formulas.textContent = '';
      const p = s.pass;
      const L = s.net.W.length;
      const yo = p.acts[L][0];
      const y = s.targets[s.sample];
      const lines: string[] = [];
      const h = p.acts[L - 1];
      if (s.running) lines.push(t('bp_running_formula'));
      else if (s.phase === 0) {
        for (let l = 0; l < L; l++) {
          p.acts[l + 1].forEach((out, j) => {
            const terms = p.acts[l].map((a, i) => `${fmt(a, 3)}·${fmt(s!.net.W[l][i][j], 3)}`).join(' + ');
            lines.push(`${nodeName(s!.sizes, l + 1, j)} = σ(${terms} + ${fmt(s!.net.b[l][j], 3)}) = ${fmt(out, 4)}`);
          });
        }
      } else if (s.phase === 1 || (s.phase === 2 && !single)) {
        lines.push(`E = ½(y_o − y)² = ½(${fmt(yo, 4)} − ${y})² = ${fmt(p.error, 5)}`);
        lines.push(`δ_o = (y_o − y) · y_o(1 − y_o) = (${fmt(yo, 4)} − ${y}) · ${fmt(yo, 4)} · (1 − ${fmt(yo, 4)}) = ${fmt(p.deltas[L - 1][0], 5)}`);
        if (s.phase === 1) h.forEach((hv, i) => lines.push(`∂E/∂${weightName(s!.sizes, L - 1, i, 0)} = δ_o · ${nodeName(s!.sizes, L - 1, i)} = ${fmt(p.deltas[L - 1][0], 5)} · ${fmt(hv, 4)} = ${fmt(p.gW[L - 1][i][0], 5)}`));
        if (s.phase === 2) {
          h.forEach((hv, j) => {
            const w = s!.net.W[L - 1][j][0];
            lines.push(`δ_${nodeName(s!.sizes, 1, j)} = (δ_o · ${weightName(s!.sizes, L - 1, j, 0)}) · ${nodeName(s!.sizes, 1, j)}(1 − ${nodeName(s!.sizes, 1, j)}) = (${fmt(p.deltas[L - 1][0], 5)} · ${fmt(w, 4)}) · ${fmt(hv, 4)} · ${fmt(1 - hv, 4)} = ${fmt(p.deltas[0][j], 6)}`);
          });
          s.net.W[0].forEach((row, i) => row.forEach((_, j) => lines.push(`∂E/∂${weightName(s!.sizes, 0, i, j)} = δ_${nodeName(s!.sizes, 1, j)} · x${i + 1} = ${fmt(p.deltas[0][j], 6)} · ${p.acts[0][i]} = ${fmt(p.gW[0][i][j], 6)}`)));
        }
      } else if (s.phase === 3) {
        lines.push(`w ← w − η · ∂E/∂w   (η = ${s.lr})`);
        lines.push(t('bp_update_note'));
      }
      for (const l of lines) formulas.append(el('div', {}, l));
    };

    const tables = () => {
      if (!s) return;
      agree.textContent = '';
      agree.append(el('tr', {}, el('th', {}, ''), el('th', {}, 'w'), el('th', { i18n: 'bp_by_hand' }), el('th', { i18n: 'bp_by_deltaflow' }), el('th', {}, '|Δ|')));
      s.net.W.forEach((Wl, l) => {
        Wl.forEach((row, i) => row.forEach((w, j) => agree.append(agreeRow(weightName(s!.sizes, l, i, j), w, s!.pass.gW[l][i][j], s!.dfW[l][i][j]))));
        s!.net.b[l].forEach((b, j) => agree.append(agreeRow(biasName(s!.sizes, l, j), b, s!.pass.gb[l][j], s!.dfb[l][j])));
      });
      agreeNote.textContent = `${t('bp_agree_note')} max |Δ| = ${s.maxDiff.toExponential(1)}`;
      agreeNote.dataset.maxdiff = String(s.maxDiff);
      xorTable.textContent = '';
      xorTable.append(el('tr', {}, el('th', {}, 'x1'), el('th', {}, 'x2'), el('th', {}, 'y'), el('th', { i18n: 'bp_prediction' })));
      s.patterns.forEach(([a, b], k) => {
        const [y, p] = [s!.targets[k], s!.predictions[k]];
        xorTable.append(el('tr', { class: Math.round(p) === y ? 'ok' : 'bad' }, el('td', {}, String(a)), el('td', {}, String(b)), el('td', {}, String(y)), el('td', {}, fmt(p, 4))));
      });
      chart.draw([{ name: t('loss_mse'), color: '#dc2626', values: s.losses }]);
      expose(section, { loss: s.losses.at(-1)!, lossStart: s.losses[0], epoch: s.epoch, maxdiff: s.maxDiff, phase: s.phase });
    };

    job.onMessage = (m) => {
      s = m;
      bar.set(m.running);
      draw();
      phaseText();
      tables();
    };
    onLang(() => {
      draw();
      phaseText();
      tables();
    });
    hover(canvas, (x, y) => describe(x, y));

    function describe(x: number, y: number): string[] | null {
      if (!s) return null;
      const n = nodes.find((n) => Math.hypot(n.x - x, n.y - y) < 28);
      if (n) {
        const v = s.pass.acts[n.layer][n.unit];
        const name = nodeName(s.sizes, n.layer, n.unit);
        if (n.layer === 0) return [`${name} = ${v}`];
        return [`${name} = σ(net) = ${fmt(v, 6)}`, `out·(1−out) = ${fmt(v * (1 - v), 6)}`, `δ = ${fmt(s.pass.deltas[n.layer - 1][n.unit], 6)}`, `b = ${fmt(s.net.b[n.layer - 1][n.unit], 6)}`];
      }
      let best: EdgeAt | undefined;
      let bestD = 10;
      for (const e of edges) {
        const d = distToSegment(x, y, e);
        if (d < bestD) [best, bestD] = [e, d];
      }
      if (!best) return null;
      const { l, i, j } = best;
      const w = s.net.W[l][i][j];
      return [
        `${weightName(s.sizes, l, i, j)} = ${fmt(w, 6)}`,
        `∂E/∂w (${t('bp_by_hand')}) = ${fmt(s.pass.gW[l][i][j], 7)}`,
        `∂E/∂w (deltaflow) = ${fmt(s.dfW[l][i][j], 7)}`,
        `w − η·∂E/∂w = ${fmt(w - s.lr * s.pass.gW[l][i][j], 6)}`,
      ];
    }
  },
};

function agreeRow(name: string, w: number, hand: number, lib: number): HTMLTableRowElement {
  return el('tr', {}, el('td', {}, name), el('td', {}, fmt(w, 4)), el('td', {}, fmt(hand, 6)), el('td', {}, fmt(lib, 6)), el('td', {}, Math.abs(hand - lib).toExponential(1)));
}

/** The deck's names: x1, x2 → y_h1, y_h2 → y_o; hidden weights w11…w22, output weights w31, w41. */
function nodeName(sizes: number[], layer: number, unit: number): string {
  if (layer === 0) return `x${unit + 1}`;
  if (layer === sizes.length - 1) return 'y_o';
  return `y_h${unit + 1}`;
}

function weightName(sizes: number[], l: number, i: number, j: number): string {
  if (sizes.length === 2) return `w${i + 1}`;
  return l === 0 ? `w${i + 1}${j + 1}` : `w${i + 3}1`;
}

function biasName(sizes: number[], l: number, j: number): string {
  if (sizes.length === 2) return 'b';
  return l === 0 ? `b${j + 1}` : 'b3';
}

function arrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, color: string): void {
  line(ctx, [x0, x1], [y0, y1], { color, width: 2.5 });
  const a = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 9 * Math.cos(a - 0.45), y1 - 9 * Math.sin(a - 0.45));
  ctx.lineTo(x1 - 9 * Math.cos(a + 0.45), y1 - 9 * Math.sin(a + 0.45));
  ctx.closePath();
  ctx.fillStyle = color;
  ctx.fill();
}

function distToSegment(px: number, py: number, e: EdgeAt): number {
  const dx = e.x1 - e.x0;
  const dy = e.y1 - e.y0;
  const u = Math.max(0, Math.min(1, ((px - e.x0) * dx + (py - e.y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (e.x0 + u * dx), py - (e.y0 + u * dy));
}
