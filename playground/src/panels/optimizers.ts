// Panel 4 — the optimizer race (figures 9-7, 9-8, 9-9): contour plots of 2-D loss surfaces with the
// path of every optimizer from the same start, animated; the family tree from GD to Adam, clickable.
import { el, fmt, tr } from '../dom.js';
import { onLang, t } from '../i18n.js';
import { expose, field, hover, runBar, select, slider } from '../ui.js';
import { spawn } from '../worker-client.js';
import { LineChart } from '../draw/chart.js';
import { dot, label, line, linear, setup, type Scale } from '../draw/canvas.js';
import { colorOf, ramp } from '../draw/colors.js';
import { fieldImage, isoSegments } from '../draw/contour.js';
import { surfaces, surfaceKeys, type Surface } from '../lib/surfaces.js';
import { familyTree } from './family-tree.js';
import type { Run } from '../jobs/optimizers.js';
import type { Panel } from './panel.js';

interface Paths {
  type: 'paths';
  problem: Surface['key'];
  seq: number;
  runs: Run[];
  ms: number;
}

const W = 560;
const H = 420;

// Figure 9-7: full-batch GD's smooth path against SGD's mini-batch zigzag. Figure 9-8: at three times
// the rate SGD zigzags across the valley; momentum (at SGD's rate × (1 − β)) rounds it off.
const PRESETS: Record<string, { problem?: Surface['key']; show?: string[]; lrScale?: number }> = {
  all: {},
  fig9_7: { problem: 'leastSquares', show: ['gd', 'sgd'], lrScale: 1 },
  fig9_8: { problem: 'leastSquares', show: ['sgd', 'momentum'], lrScale: 3 },
};

export const optimizersPanel: Panel = {
  id: 'optimizers',
  title: 'tab_optimizers',
  figures: ['fig9_7', 'fig9_8', 'fig9_9'],
  intro: 'opt_intro',
  mount(section) {
    let problem: Surface['key'] = 'leastSquares';
    let lrScale = 1;
    let noise = 0.2;
    let paths: Paths | undefined;
    let k = 0;
    let raf = 0;
    let seq = 0;
    let highlight: string | null = null;
    let shown: Set<string> | null = null;
    let background: { img: HTMLCanvasElement; segs: number[][]; key: string } | undefined;
    let xs: Scale;
    let ys: Scale;
    const job = spawn<Paths>('optimizers', {}, (m) => (status.textContent = m));
    const canvas = el('canvas', { class: 'surface' });
    const lossCanvas = el('canvas');
    const chart = new LineChart(lossCanvas, { width: 420, height: 220, logY: true, legend: false, xLabel: () => t('opt_step'), yLabel: () => t('loss') });
    const legend = el('div', { class: 'legend' });
    const status = el('div', { class: 'status' });
    const tree = familyTree((id) => {
      highlight = highlight === id ? null : id;
      if (highlight && shown && !shown.has(highlight)) shown = null;
      tree.select(highlight);
      draw();
      renderLegend();
    });

    const compute = () => {
      const s = surfaces[problem];
      job.send({ type: 'compute', problem, lrScale, noise: s.key === 'leastSquares' ? 0 : noise, seq: ++seq });
    };
    const tick = () => {
      if (!paths) return;
      const steps = surfaces[paths.problem].steps;
      k = Math.min(steps, k + Math.max(1, Math.round((steps / 240) * speedS.value())));
      draw();
      if (k >= steps) {
        raf = 0;
        bar.set(false);
        return;
      }
      raf = requestAnimationFrame(tick);
    };
    const pause = () => {
      cancelAnimationFrame(raf);
      raf = 0;
    };
    const bar = runBar({
      run: () => {
        if (paths && k >= surfaces[paths.problem].steps) k = 0;
        raf ||= requestAnimationFrame(tick);
      },
      pause,
      reset: () => {
        pause();
        k = 0;
        draw();
      },
    });
    const restart = () => {
      pause();
      bar.set(false);
      k = 0;
      compute();
    };
    const problemSel = select(surfaceKeys.map((key) => [key, `surf_${key}`] as [string, 'surf_quadratic']), problem, (v) => {
      problem = v as Surface['key'];
      noiseS.input.disabled = problem === 'leastSquares';
      restart();
    }, 'problem');
    const lrS = slider({ min: -1, max: 1, step: 0.05, value: 0, name: 'lrScale', map: (v) => +(10 ** v).toPrecision(2), show: (v) => `×${v}` }, (v) => {
      lrScale = v;
      restart();
    });
    const noiseS = slider({ min: 0, max: 2, step: 0.1, value: noise, name: 'noise' }, (v) => {
      noise = v;
      restart();
    });
    noiseS.input.disabled = true;
    const speedS = slider({ min: 0.25, max: 4, step: 0.25, value: 1, name: 'speed', show: (v) => `×${v}` }, () => {});
    const presetButtons = Object.keys(PRESETS).map((key) => {
      const b = el('button', { class: 'preset', 'data-preset': key, i18n: key === 'all' ? 'opt_show_all' : (key as 'fig9_7') });
      b.addEventListener('click', () => {
        const p = PRESETS[key];
        shown = p.show ? new Set(p.show) : null;
        highlight = null;
        tree.select(null);
        const scale = p.lrScale ?? lrScale;
        if ((p.problem && p.problem !== problem) || scale !== lrScale) {
          problem = p.problem ?? problem;
          problemSel.value = problem;
          noiseS.input.disabled = problem === 'leastSquares';
          lrS.set(Math.log10(scale));
          lrScale = lrS.value();
          restart();
        } else draw();
        renderLegend();
      });
      return b;
    });

    section.append(
      el(
        'div',
        { class: 'controls' },
        bar.node,
        field('opt_surface', problemSel),
        field('opt_lr_scale', lrS.input, lrS.out),
        field('opt_noise', noiseS.input, noiseS.out),
        field('opt_speed', speedS.input, speedS.out),
      ),
      el('div', { class: 'controls presets' }, tr('opt_presets', 'span'), ...presetButtons),
      el(
        'div',
        { class: 'row' },
        el('div', { class: 'col' }, canvas, legend),
        el('div', { class: 'col' }, tr('fig9_9', 'h3'), tree.node, tr('opt_tree_hint', 'p'), lossCanvas),
      ),
      status,
    );

    const visible = (name: string) => !shown || shown.has(name);

    const drawBackground = (s: Surface) => {
      const key = s.key;
      if (background?.key === key) return background;
      const nx = 220;
      const ny = Math.round((nx * H) / W);
      const f = new Float64Array(nx * ny);
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const x = s.view.x[0] + ((s.view.x[1] - s.view.x[0]) * i) / (nx - 1);
          const y = s.view.y[0] + ((s.view.y[1] - s.view.y[0]) * j) / (ny - 1);
          const v = s.f(x, y);
          f[j * nx + i] = v;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      // Log of the height above the lowest sample: contours crowd where the surface is steep.
      const shift = lo - Math.max(1e-3, (hi - lo) * 1e-6);
      const g = f.map((v) => Math.log10(v - shift));
      const glo = Math.min(...g);
      const ghi = Math.max(...g);
      const img = fieldImage(g, nx, ny, (v) => ramp(0.15 + 0.8 * ((v - glo) / (ghi - glo))));
      const segs: number[][] = [];
      for (let q = 1; q < 14; q++) segs.push(isoSegments(g, nx, ny, glo + ((ghi - glo) * q) / 14));
      background = { img, segs, key };
      return background;
    };

    function draw() {
      if (!paths) return;
      const s = surfaces[paths.problem];
      const ctx = setup(canvas, W, H);
      xs = linear(s.view.x[0], s.view.x[1], 0, W);
      ys = linear(s.view.y[0], s.view.y[1], H, 0);
      const bg = drawBackground(s);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(bg.img, 0, 0, W, H);
      const nx = bg.img.width;
      const ny = bg.img.height;
      ctx.strokeStyle = 'rgba(255,255,255,0.35)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const seg of bg.segs) {
        for (let i = 0; i < seg.length; i += 4) {
          ctx.moveTo((seg[i] / (nx - 1)) * W, H - (seg[i + 1] / (ny - 1)) * H);
          ctx.lineTo((seg[i + 2] / (nx - 1)) * W, H - (seg[i + 3] / (ny - 1)) * H);
        }
      }
      ctx.stroke();
      // The minimum and the common start.
      label(ctx, '★', xs(s.minimum[0]), ys(s.minimum[1]) + 6, { align: 'center', color: '#fde047', font: 'bold 18px system-ui' });
      dot(ctx, xs(s.start[0]), ys(s.start[1]), 5, '#ffffff', '#111827');
      const order = paths.runs.filter((r) => visible(r.name)).sort((a, b) => (a.name === highlight ? 1 : 0) - (b.name === highlight ? 1 : 0));
      for (const r of order) {
        const n = Math.min(k, r.steps);
        const px = new Float32Array(n + 1);
        const py = new Float32Array(n + 1);
        for (let i = 0; i <= n; i++) {
          px[i] = xs(r.path[2 * i]);
          py[i] = ys(r.path[2 * i + 1]);
        }
        const faded = highlight && highlight !== r.name;
        line(ctx, px, py, { color: colorOf(r.name), width: r.name === highlight ? 3 : 1.6, alpha: faded ? 0.2 : 0.95 });
        dot(ctx, px[n], py[n], r.name === highlight ? 5 : 3.5, colorOf(r.name), '#ffffff');
      }
      label(ctx, `${t('opt_step')} ${k} / ${s.steps}`, 10, 18, { color: '#ffffff', font: 'bold 12px system-ui' });
      chart.draw(
        paths.runs
          .filter((r) => visible(r.name) && (!highlight || r.name === highlight || true))
          .map((r) => ({ name: r.name, color: colorOf(r.name), values: r.loss.subarray(0, Math.min(k, r.steps) + 1), dash: highlight && r.name !== highlight ? [2, 3] : undefined })),
      );
      updateLegendNumbers();
      const focus = paths.runs.find((r) => r.name === (highlight ?? 'adam'))!;
      expose(section, { loss: focus.loss[Math.min(k, focus.steps)], lossStart: focus.loss[0], step: k, problem: paths.problem });
    }

    const legendRows = new Map<string, HTMLElement>();
    function renderLegend() {
      legend.textContent = '';
      legendRows.clear();
      if (!paths) return;
      for (const r of paths.runs) {
        const value = el('span', { class: 'mono value' });
        const row = el(
          'button',
          { class: `legend-row${highlight === r.name ? ' on' : ''}${visible(r.name) ? '' : ' off'}`, 'data-name': r.name },
          el('span', { class: 'swatch', style: `background:${colorOf(r.name)}` }),
          el('span', { class: 'name' }, r.name),
          el('span', { class: 'mono lr' }, `lr ${fmt(r.lr, 4)}`),
          value,
        );
        row.addEventListener('click', () => {
          if (!visible(r.name)) shown?.add(r.name);
          highlight = highlight === r.name ? null : r.name;
          tree.select(highlight);
          draw();
          renderLegend();
        });
        legendRows.set(r.name, value);
        legend.append(row);
      }
      updateLegendNumbers();
    }
    function updateLegendNumbers() {
      if (!paths) return;
      for (const r of paths.runs) {
        const v = legendRows.get(r.name);
        if (v) v.textContent = r.steps < k ? t('opt_diverged') : fmt(r.loss[Math.min(k, r.steps)], 4);
      }
    }

    job.onMessage = (m) => {
      if (m.seq !== seq) return;
      paths = m;
      k = 0;
      renderLegend();
      draw();
    };
    onLang(() => {
      draw();
      renderLegend();
    });
    hover(canvas, (x, y) => {
      if (!paths || !xs) return null;
      const s = surfaces[paths.problem];
      const [u, v] = [xs.inv(x), ys.inv(y)];
      const lines = [`(${fmt(u, 3)}, ${fmt(v, 3)})  f = ${fmt(s.f(u, v), 5)}`];
      // The nearest drawn point of any path.
      let best: { name: string; i: number; d: number } | null = null;
      for (const r of paths.runs) {
        if (!visible(r.name)) continue;
        for (let i = 0; i <= Math.min(k, r.steps); i++) {
          const d = Math.hypot(xs(r.path[2 * i]) - x, ys(r.path[2 * i + 1]) - y);
          if (d < 8 && (!best || d < best.d)) best = { name: r.name, i, d };
        }
      }
      if (best) {
        const r = paths.runs.find((q) => q.name === best!.name)!;
        lines.push(`${r.name} ${t('opt_step')} ${best.i}: (${fmt(r.path[2 * best.i], 4)}, ${fmt(r.path[2 * best.i + 1], 4)})  f = ${fmt(r.loss[best.i], 5)}  lr ${fmt(r.lr, 4)}`);
      }
      return lines;
    });
    compute();
  },
};
