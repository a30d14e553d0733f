// The vanishing gradient through time: ‖∂L/∂h_t‖ over the time steps of a SimpleRNN and an LSTM of the same
// size, on a log scale, as both learn the adding problem (dashed: before training); their held-out loss
// beside the baseline of always answering the mean sum. The per-step norms come from the panel's own BPTT.
import { el } from '../dom.js';
import { onLang, t } from '../i18n.js';
import { expose, field, runBar, slider } from '../ui.js';
import { spawn } from '../worker-client.js';
import { LineChart } from '../draw/chart.js';
import type { Panel } from './panel.js';

interface Run {
  cell: 'simpleRNN' | 'lstm';
  norms: number[];
  initial: number[];
  loss: number[];
  check: number;
}
interface State {
  type: 'state';
  epoch: number;
  steps: number;
  baseline: number;
  runs: Run[];
  running: boolean;
}

const COLORS = { simpleRNN: '#9333ea', lstm: '#16a34a' };
const NAMES = { simpleRNN: 'SimpleRNN', lstm: 'LSTM' };

export const rnnGradientPanel: Panel = {
  id: 'rnn',
  title: 'tab_rnn',
  figures: [],
  intro: 'rg_intro',
  mount(section) {
    let state: State | undefined;
    const job = spawn<State>('rnnGradient', {}, (m) => (status.textContent = m));
    const normCanvas = el('canvas');
    const lossCanvas = el('canvas');
    const normChart = new LineChart(normCanvas, { width: 880, height: 300, logY: true, xLabel: () => t('rg_step_axis'), yLabel: () => '‖∂L/∂h_t‖', legendAt: 'bottom' });
    const lossChart = new LineChart(lossCanvas, { width: 430, height: 240, xLabel: () => t('epoch'), yLabel: () => t('loss_mse') });
    const ratios = el('div', { class: 'readout mono', 'data-role': 'ratios' });
    const check = el('p', { class: 'note' });
    const status = el('div', { class: 'status' });

    const bar = runBar({ run: () => job.send({ type: 'run' }), pause: () => job.send({ type: 'pause' }), reset: () => job.send({ type: 'reset' }) });
    const steps = slider({ min: 10, max: 80, step: 5, value: 40, name: 'steps' }, (v) => job.send({ type: 'config', steps: v }));
    const units = slider({ min: 4, max: 32, step: 4, value: 16, name: 'units' }, (v) => job.send({ type: 'config', units: v }));

    section.append(
      el('div', { class: 'controls' }, bar.node, field('rg_steps', steps.input, steps.out), field('rg_units', units.input, units.out), el('span', { i18n: 'rg_setup' })),
      el('div', { class: 'row' }, el('div', { class: 'col' }, el('h3', { i18n: 'rg_norm_title' }), normCanvas, ratios)),
      el('div', { class: 'row' }, el('div', { class: 'col' }, el('h3', { i18n: 'rg_loss_title' }), lossCanvas), el('div', { class: 'col' }, el('p', { class: 'note', i18n: 'rg_why' }), check)),
      status,
    );

    const draw = () => {
      if (!state) return;
      const s = state;
      const x = Array.from({ length: s.steps }, (_, i) => i + 1);
      normChart.draw(
        s.runs.flatMap((r) => [
          { name: `${NAMES[r.cell]} · ${t('epoch')} ${s.epoch}`, color: COLORS[r.cell], values: r.norms, x },
          { name: `${NAMES[r.cell]} · ${t('rg_before')}`, color: COLORS[r.cell], values: r.initial, x, dash: [5, 4] },
        ]),
      );
      lossChart.draw([
        ...s.runs.map((r) => ({ name: NAMES[r.cell], color: COLORS[r.cell], values: r.loss })),
        { name: t('rg_baseline'), color: '#6b7280', values: s.runs[0].loss.map(() => s.baseline), dash: [3, 3] },
      ]);
      const ratio = (r: Run) => r.norms[0] / r.norms[s.steps - 1];
      ratios.textContent = `${t('rg_ratio')}: ${s.runs.map((r) => `${NAMES[r.cell]} ${ratio(r).toExponential(1)}`).join(' · ')}`;
      const worst = Math.max(...s.runs.map((r) => r.check));
      check.textContent = `${t('rg_check')} ${worst.toExponential(1)}`;
      const [rnn, lstm] = s.runs;
      expose(section, {
        epoch: s.epoch,
        loss: lstm.loss.at(-1)!,
        lossStart: lstm.loss[0],
        rnnLoss: rnn.loss.at(-1)!,
        baseline: s.baseline,
        rnnRatio: ratio(rnn),
        lstmRatio: ratio(lstm),
        check: worst,
      });
    };

    job.onMessage = (m) => {
      state = m;
      bar.set(m.running);
      draw();
    };
    onLang(draw);
  },
};
