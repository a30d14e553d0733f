// Panel 3 — activation functions (figure 9-6): each of deltaflow's elementwise activations and its
// derivative (dashed), both computed by the library's kernels (see jobs/curves.ts for the route), as
// small multiples like the figure. "Run" sweeps a point along x with the tangent of slope f′(x).
import { el, fmt, tr } from '../dom.js';
import { onLang, t } from '../i18n.js';
import { expose, hover, runBar } from '../ui.js';
import { spawn } from '../worker-client.js';
import { axes, dot, label, line, linear, setup, type Scale } from '../draw/canvas.js';
import type { Panel } from './panel.js';

interface Curves {
  type: 'curves';
  xs: Float32Array;
  names: string[];
  curves: Record<string, { f: Float32Array; d: Float32Array; check: number }>;
  ms: number;
}

const FIGURE = ['sigmoid', 'relu', 'tanh', 'softplus'];
const CW = 250;
const CH = 190;
const PER_ROW = 4;

export const activationsPanel: Panel = {
  id: 'activations',
  title: 'tab_activations',
  figures: ['fig9_6'],
  intro: 'act_intro',
  mount(section) {
    let data: Curves | undefined;
    const chosen = new Set(FIGURE);
    let sweep = 0;
    let raf = 0;
    let cells: { name: string; x0: number; y0: number; xs: Scale; ys: Scale }[] = [];
    const job = spawn<Curves>('activations', {}, (m) => (status.textContent = m));
    const canvas = el('canvas');
    const picks = el('div', { class: 'picks' });
    const note = el('p', { class: 'note' });
    const status = el('div', { class: 'status' });
    const readout = el('div', { class: 'readout mono' });

    const tick = () => {
      sweep += 0.04;
      if (sweep > 5) sweep = -5;
      draw();
      raf = requestAnimationFrame(tick);
    };
    const bar = runBar({
      run: () => (raf ||= requestAnimationFrame(tick)),
      pause: () => {
        cancelAnimationFrame(raf);
        raf = 0;
      },
      reset: () => {
        cancelAnimationFrame(raf);
        raf = 0;
        sweep = 0;
        draw();
      },
    });
    section.append(el('div', { class: 'controls' }, bar.node, tr('act_pick', 'span'), picks), canvas, readout, note, status);

    const draw = () => {
      if (!data) return;
      const names = data.names.filter((n) => chosen.has(n));
      const rows = Math.max(1, Math.ceil(names.length / PER_ROW));
      const ctx = setup(canvas, CW * PER_ROW, CH * rows);
      cells = [];
      const lines: string[] = [];
      names.forEach((name, k) => {
        const x0 = (k % PER_ROW) * CW;
        const y0 = Math.floor(k / PER_ROW) * CH;
        const c = data!.curves[name];
        let lo = Math.min(-0.2, ...c.f, ...c.d);
        let hi = Math.max(1.2, ...c.d);
        hi = Math.min(hi, Math.max(...c.f.filter((v, i) => Math.abs(data!.xs[i]) <= 3), 1.2) * 1.1, 5.5);
        lo = Math.max(lo, -1.5);
        const box = { x: x0 + 34, y: y0 + 24, w: CW - 46, h: CH - 50 };
        const xs = linear(-5, 5, box.x, box.x + box.w);
        const ys = linear(lo, hi, box.y + box.h, box.y);
        cells.push({ name, x0, y0, xs, ys });
        axes(ctx, box, xs, ys, { zeroLines: true, xTicks: [-4, -2, 0, 2, 4] });
        ctx.save();
        ctx.beginPath();
        ctx.rect(box.x, box.y, box.w, box.h);
        ctx.clip();
        const px = Array.from(data!.xs, xs);
        line(ctx, px, Array.from(c.f, ys), { color: '#dc2626', width: 2 });
        line(ctx, px, Array.from(c.d, ys), { color: '#2563eb', width: 2, dash: [5, 4] });
        // The sweep point and its tangent: slope f′(x) from the kernel.
        const i = Math.round(((sweep + 5) / 10) * (data!.xs.length - 1));
        const [fx, dx] = [c.f[i], c.d[i]];
        line(ctx, [xs(sweep - 1.5), xs(sweep + 1.5)], [ys(fx - 1.5 * dx), ys(fx + 1.5 * dx)], { color: '#111827', width: 1, alpha: 0.6 });
        dot(ctx, xs(sweep), ys(fx), 3.5, '#dc2626');
        dot(ctx, xs(sweep), ys(dx), 3.5, '#2563eb');
        ctx.restore();
        const k1 = FIGURE.indexOf(name);
        const mark = k1 >= 0 ? `${'①②③④'[k1]} ` : '';
        label(ctx, `${mark}${t(('act_' + name) as 'act_sigmoid')}`, x0 + 34, y0 + 16, { font: 'bold 12px system-ui' });
        lines.push(`${name.padEnd(12)} f(${fmt(sweep, 2)}) = ${fmt(fx, 4).padStart(8)}   f'(${fmt(sweep, 2)}) = ${fmt(dx, 4).padStart(8)}`);
      });
      readout.textContent = '';
      for (const l of lines) readout.append(el('div', {}, l));
    };

    const renderPicks = () => {
      if (!data) return;
      picks.textContent = '';
      for (const name of data.names) {
        const box = el('input', { type: 'checkbox', 'data-name': name, checked: chosen.has(name) });
        box.addEventListener('change', () => {
          box.checked ? chosen.add(name) : chosen.delete(name);
          draw();
        });
        picks.append(el('label', { class: 'pick' }, box, t(('act_' + name) as 'act_sigmoid')));
      }
      const worst = Math.max(...data.names.map((n) => data!.curves[n].check));
      note.textContent = `${t('act_route')} ${t('act_check')} ${worst.toExponential(1)} (${data.names.length} ${t('act_functions')}, ${data.ms.toFixed(1)} ms)`;
      expose(section, { check: worst, functions: data.names.length });
    };

    job.onMessage = (m) => {
      data = m;
      renderPicks();
      draw();
    };
    onLang(() => {
      renderPicks();
      draw();
    });
    hover(canvas, (x, y) => {
      const c = cells.find((c) => x >= c.x0 && x < c.x0 + CW && y >= c.y0 && y < c.y0 + CH);
      if (!c || !data) return null;
      const xv = c.xs.inv(x);
      const i = Math.round(((xv + 5) / 10) * (data.xs.length - 1));
      if (i < 0 || i >= data.xs.length) return null;
      const cur = data.curves[c.name];
      return [c.name, `x = ${fmt(data.xs[i], 3)}`, `f(x) = ${fmt(cur.f[i], 6)}`, `f'(x) = ${fmt(cur.d[i], 6)}`, `${t('act_check_short')} ${cur.check.toExponential(1)}`];
    });
  },
};
