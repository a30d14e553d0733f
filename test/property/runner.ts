// Runs a generated call sequence on a model and checks, after every call: a call that should work
// works; one that should not is an Error that names the problem and leaves the model exactly as it was
// (weights, optimizer state and iterations, generator states, layers, loss); predictions agree with the
// float64 oracle. Then a fresh model replays the calls (a concurrent pair at the same point again), and
// every result and the final state must be bit-identical; and with every model disposed, no memory is
// left behind.
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import { staging } from '../../src/model/staging.js';
import { rng } from '../helpers/random.js';
import type { Cmd, DataGen, FitCmd, LayerGen, LossName, ModelGen, OptGen, SideCmd } from './arbitraries.js';
import { agrees, gradientCheckable, referenceGradients, referencePredict } from './reference.js';

/** What a call did: its error message, or a digest of what it returned. */
export interface Outcome {
  ok: boolean;
  text: string;
}

export class PropertyFailure extends Error {}

/** Calls made by the checked runs, by operation and outcome: what the suite actually exercised. */
export const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

function fail(message: string): never {
  throw new PropertyFailure(message);
}

// ---- building models and data from their generated descriptions ----

function layerOf(l: LayerGen, inputShape?: number[]): df.Layer {
  const input = inputShape ? { inputShape } : {};
  switch (l.kind) {
    case 'dense':
      return df.layers.dense({ units: l.units, activation: l.activation, useBias: l.useBias, kernelInitializer: l.init, ...input });
    case 'dropout':
      return df.layers.dropout({ rate: l.rate, seed: l.seed, ...input });
    case 'activation':
      return df.layers.activation({ activation: l.activation, ...input });
  }
}

const FACTORIES: Record<OptGen['name'], (o: Record<string, unknown>) => df.Optimizer> = {
  sgd: (o) => df.optimizers.sgd(o),
  momentum: (o) => df.optimizers.sgd({ momentum: 0.9, ...o }),
  nesterov: (o) => df.optimizers.sgd({ momentum: 0.9, nesterov: true, ...o }),
  adagrad: (o) => df.optimizers.adagrad(o),
  adadelta: (o) => df.optimizers.adadelta(o),
  rmsprop: (o) => df.optimizers.rmsprop(o),
  adam: (o) => df.optimizers.adam(o),
  amsgrad: (o) => df.optimizers.adam({ amsgrad: true, ...o }),
  adamax: (o) => df.optimizers.adamax(o),
  nadam: (o) => df.optimizers.nadam(o),
  adamw: (o) => df.optimizers.adamw(o),
  lion: (o) => df.optimizers.lion(o),
};

function optimizerOf(o: OptGen): string | df.Optimizer {
  if (o.byName && !o.hostile) return o.name;
  const options: Record<string, unknown> = { learningRate: o.learningRate, ...(o.clip ? { [o.clip[0]]: o.clip[1] } : {}) };
  if (o.weightDecay !== undefined) options.weightDecay = o.weightDecay;
  return FACTORIES[o.name]({ ...options, ...o.hostile });
}

const metricsFor = (loss: LossName) => (loss === 'meanSquaredError' || loss === 'meanAbsoluteError' || loss === 'huber' ? ['mae'] : ['accuracy']);

export function buildModel(spec: ModelGen): df.Sequential {
  const layers = spec.layers.map((l, i) => layerOf(l, i === 0 && spec.declareInput ? [spec.inputWidth] : undefined));
  const m = df.sequential({ seed: spec.seed, layers });
  m.compile({ optimizer: optimizerOf(spec.optimizer), loss: spec.loss, metrics: spec.metrics ? metricsFor(spec.loss) : undefined });
  return m;
}

interface Data {
  x: df.Input;
  y: df.Input;
  /** The rows of x as the model reads them, when x is valid. */
  xFlat: Float32Array;
  rows: number;
  /** Whether x (or, for calls with targets, x and y) must be refused. */
  hostileX: boolean;
  hostileY: boolean;
}

function shaped(values: number[], rows: number, cols: number, form: DataGen['form']): df.Input {
  switch (form) {
    case 'nested':
      return Array.from({ length: rows }, (_, r) => values.slice(r * cols, (r + 1) * cols));
    case 'shaped32':
      return { data: Float32Array.from(values), shape: [rows, cols] };
    case 'shaped64':
      return { data: Float64Array.from(values), shape: [rows, cols] };
    case 'plain':
      return { data: values, shape: [rows, cols] };
    case 'tensor':
      return df.tensor2d(Float32Array.from(values), [rows, cols]);
  }
}

/** Data for a call, shaped to the model as it is now; hostile data breaks it in the generated way. */
/** The model's (internal) output shape after layer l, given the input shape if the model has none yet. */
function shapeAfter(model: df.Sequential, l: number, inputShape?: number[]): number[] | undefined {
  return (model as unknown as { shapeAfter(l: number, inputShape?: number[]): number[] | undefined }).shapeAfter(l, inputShape);
}

function widthOf(shape: number[] | undefined): number | undefined {
  return shape?.reduce((a, b) => a * b, 1);
}

function buildData(d: DataGen, model: df.Sequential, spec: ModelGen): Data {
  const next = rng(d.seed);
  const known = model.inputWidth;
  // (A single nested row made 'ragged' is just a wider row: with the width not fixed, it fixes it.)
  const longerRow = d.hostile === 'ragged' && d.rows === 1 && d.form === 'nested' ? 1 : 0;
  const widthX = (known ?? spec.inputWidth) + (d.hostile === 'wrongWidth' ? 1 : 0) + longerRow;
  const rows = d.hostile === 'empty' ? 0 : d.rows;
  const xs = Array.from({ length: rows * widthX }, () => Math.fround(next() * 4 - 2));
  // The output width the model has, or will have once this data fixes its input width.
  const units = widthOf(shapeAfter(model, model.layers.length - 1, [known ?? widthX]))!;
  const loss = model.lossRow!;
  const sparse = !!loss.sparse;
  const yRows = rows + (d.hostile === 'targetRows' ? 1 : 0);
  const yCols = (sparse ? 1 : units) + (d.hostile === 'targetWidth' ? 1 : 0);
  const ys: number[] = [];
  for (let r = 0; r < yRows; r++) {
    const label = Math.floor(next() * units);
    for (let c = 0; c < yCols; c++) {
      if (sparse) ys.push(label);
      else if (loss.kind === 'categorical') ys.push(c === label ? 1 : 0);
      else if (loss.kind === 'binary') ys.push(next() > 0.5 ? 1 : 0);
      else ys.push(Math.fround(next() * 2 - 1));
    }
  }
  let hostileX = false;
  let hostileY = d.hostile === 'targetRows' || d.hostile === 'targetWidth';
  let form = d.form;
  if (rows > 0) {
    const at = Math.floor(next() * xs.length);
    if (d.hostile === 'nan') xs[at] = Number.NaN;
    if (d.hostile === 'infinity') xs[at] = -Infinity;
    if (d.hostile === 'f32Overflow') xs[at] = 1e39;
    if (d.hostile === 'string') {
      (xs as unknown[])[at] = '1';
      if (form === 'shaped32' || form === 'shaped64' || form === 'tensor') form = 'plain';
    }
    if (d.hostile === 'badLabel') ys[Math.floor(next() * ys.length)] = sparse ? units : Number.NaN;
  }
  // One row made longer is ragged only beside another row (alone, it is a wider row, refused only if the width is fixed).
  const ragged = d.hostile === 'ragged' && (rows > 1 || form !== 'nested' || known !== undefined);
  hostileX = rows === 0 || ['nan', 'infinity', 'f32Overflow', 'string'].includes(d.hostile) || ragged || (d.hostile === 'wrongWidth' && known !== undefined);
  hostileY ||= d.hostile === 'badLabel' && rows > 0;
  let x = shaped(xs, rows, widthX, form === 'tensor' && rows === 0 ? 'shaped32' : form);
  if (d.hostile === 'ragged' && rows > 0 && !longerRow) {
    if (Array.isArray(x)) (x as number[][])[rows - 1] = (x as number[][])[rows - 1].concat([0.5]);
    else x = { data: Float32Array.from(xs).subarray(1), shape: [rows, widthX] };
  }
  const y = shaped(ys, yRows, yCols, d.form === 'tensor' && yRows === 0 ? 'shaped32' : d.form);
  return { x, y, xFlat: Float32Array.from(xs as number[]), rows, hostileX, hostileY };
}

/** The values of any input form, row-major. */
function toFlat(input: df.Input): Float64Array {
  if (input instanceof df.Tensor) return Float64Array.from(input.dataSync());
  if (Array.isArray(input) && Array.isArray(input[0])) return Float64Array.from((input as number[][]).flat());
  return Float64Array.from((input as { data: ArrayLike<number> }).data);
}

// ---- snapshots and digests ----

/** Floats by their bits, so −0 and ±Infinity compare exactly (NaN as NaN: JavaScript may change its sign and payload). */
function bits(a: ArrayLike<number>): string {
  const f = Float32Array.from(a);
  return Array.from(new Uint32Array(f.buffer), (v, i) => (Number.isNaN(f[i]) ? 'NaN' : v.toString(16))).join(',');
}

function f64bits(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  const b = new Float64Array([v]);
  return Array.from(new Uint32Array(b.buffer), (w) => w.toString(16)).join('');
}

const built = (m: df.Sequential) => !!(m as unknown as { box: { arena?: unknown } }).box.arena;

/** Everything a failed call must leave as it was. */
export function snapshot(m: df.Sequential): string {
  if (m.isDisposed) return 'disposed';
  const parts = [
    `layers ${m.layers.map((l) => l.name).join(',')}`,
    `input ${m.inputWidth}`,
    `loss ${m.lossRow?.name} metrics ${(m as unknown as { metricNames: string[] }).metricNames.join(',')}`,
    `optimizer ${m.optimizer?.name} iterations ${m.optimizer?.iterations} lr ${String(m.optimizer?.learningRate)}`,
  ];
  // Built whenever it can be (building is deterministic, so the replay, built later, must agree).
  if (m.inputWidth !== undefined) {
    try {
      m.getWeights();
    } catch (e) {
      parts.push(`unbuildable: ${(e as Error).message}`);
    }
  }
  if (built(m)) {
    parts.push(`weights ${m.getWeights().map((w) => `${w.shape}:${bits(w.dataSync())}`).join(' ')}`);
    const s = m.getOptimizerState();
    parts.push(`slots ${s.iterations} ${s.slots.map(bits).join(' ')}`);
    const g = m.getGeneratorStates();
    parts.push(`rng ${bits(new Float32Array(g.model.buffer))} ${g.layers.map((l) => (l ? bits(new Float32Array(l.buffer)) : '-')).join(' ')}`);
  }
  return parts.join('\n');
}

/** The first line where two snapshots differ, both ways. */
function firstDifference(a: string, b: string): string {
  const [la, lb] = [a.split('\n'), b.split('\n')];
  const at = la.findIndex((l, i) => l !== lb[i]);
  return `  first:  ${la[at]?.slice(0, 400)}\n  second: ${lb[at]?.slice(0, 400)}`;
}

/** An error as the library must throw it: an Error whose message names the problem, never a crash inside. */
function checkError(e: unknown, call: string): string {
  if (e instanceof PropertyFailure) throw e;
  if (!(e instanceof Error)) fail(`${call} threw a non-Error: ${String(e)}`);
  if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError || e instanceof SyntaxError || e instanceof ReferenceError) {
    fail(`${call} crashed with ${e.name}: ${e.message}`);
  }
  if (!e.message || /is not a function|Cannot read prop|undefined is not|Maximum call stack|out of bounds|unreachable|\[object Object\]/.test(e.message)) {
    fail(`${call} threw an unhelpful error: ${e.message}`);
  }
  return e.message;
}

const BUSY = /is training in fit\(\)|another fit\(\) call/;
const DISPOSED = /has been disposed/;

// ---- the runner ----

export class Runner {
  model: df.Sequential;
  readonly all: df.Sequential[] = [];
  /** What each call did, by step id: the replay must do the same. */
  readonly outcomes = new Map<number, Outcome>();
  threadsChanged = false;
  private nextId = 0;

  constructor(
    readonly spec: ModelGen,
    /** The first run checks everything; the replay only records outcomes. */
    readonly checking = true,
  ) {
    this.model = this.track(buildModel(spec));
  }

  track(m: df.Sequential): df.Sequential {
    this.all.push(m);
    return m;
  }

  async run(cmds: Cmd[]): Promise<void> {
    for (const cmd of cmds) await this.step(cmd);
  }



  private async step(cmd: Cmd): Promise<void> {
    const id = this.nextId;
    this.nextId += 2;
    if (cmd.op === 'concurrent') await this.concurrent(cmd.fit, cmd.then, id);
    else this.outcomes.set(id, await this.call(cmd, id));
    if (this.checking) {
      const o = this.outcomes.get(id)!;
      count(`${cmd.op === 'concurrent' ? `fit + ${cmd.then.op}` : cmd.op} ${o.ok ? 'ok' : 'refused'}`);
    }
  }

  /**
   * A fit with a yielding callback, and another call made as soon as fit() returns: after the fit has
   * checked its arguments, before its first batch. Deterministic, so the replay makes it the same way.
   */
  private async concurrent(fit: FitCmd, then: SideCmd, id: number): Promise<void> {
    const m = this.model;
    const running = this.callFit(fit);
    const fitting = (m as unknown as { fitting: boolean }).fitting;
    const other = await this.call(then, id + 1, fitting);
    const result = await running;
    // Stopped by dispose() before its first batch: it resolves, with nothing trained.
    if (this.checking && then.op === 'dispose' && fitting && !result.ok) fail(`a fit stopped by dispose() rejected: ${result.text}`);
    this.outcomes.set(id, result);
    this.outcomes.set(id + 1, other);
  }

  /**
   * Runs one call on the current model: checks its outcome against what the call should do. During a
   * fit (`busy`), calls that would change what it trains must be refused as busy; the rest run as usual.
   */
  private async call(cmd: Cmd | SideCmd, id: number, busy = false): Promise<Outcome> {
    const m = this.model;
    const disposed = m.isDisposed;
    const before = this.checking ? snapshot(m) : '';
    // (A hostile optimizer fails in its own constructor, before the model sees the call.)
    const hostileOptimizer = cmd.op === 'compile' && cmd.optimizer !== 'same' && !!cmd.optimizer.hostile;
    const refusedWhileBusy = busy && ['fit', 'trainOnBatch', 'add', 'compile', 'restoreOptimizerState'].includes(cmd.op) && !hostileOptimizer;
    let expect: 'ok' | 'error' | 'either' = 'either';
    let value = '';
    let fromCallback = false;
    try {
      switch (cmd.op) {
        case 'fit': {
          const r = await this.callFit(cmd);
          if (!r.ok) throw Object.assign(new Error(r.text), { fromCallback: r.text === CALLBACK_ERROR });
          value = r.text;
          break;
        }
        case 'predict': {
          const d = buildData(cmd.data, m, this.spec);
          expect = d.hostileX ? 'error' : 'ok';
          const out = m.predict(d.x, cmd.batchSize === undefined ? undefined : { batchSize: cmd.batchSize });
          value = bits(out.dataSync());
          if (this.checking) this.checkReference(m, d, out.dataSync());
          break;
        }
        case 'evaluate': {
          const d = buildData(cmd.data, m, this.spec);
          expect = d.hostileX || d.hostileY ? 'error' : 'ok';
          const logs = m.evaluate(d.x, d.y, cmd.batchSize === undefined ? undefined : { batchSize: cmd.batchSize });
          value = Object.entries(logs).map(([k, v]) => `${k}=${f64bits(v)}`).join(' ');
          break;
        }
        case 'trainOnBatch': {
          const d = buildData(cmd.data, m, this.spec);
          expect = d.hostileX || d.hostileY ? 'error' : 'ok';
          value = f64bits(m.trainOnBatch(d.x, d.y));
          break;
        }
        case 'computeGradients': {
          const d = buildData(cmd.data, m, this.spec);
          expect = d.hostileX || d.hostileY ? 'error' : 'ok';
          const g = m.computeGradients(d.x, d.y);
          value = `${f64bits(g.loss)} ${g.grads.map((t) => bits(t.dataSync())).join(' ')}`;
          if (this.checking) this.checkGradients(m, d, g.grads.map((t) => t.dataSync()));
          break;
        }
        case 'getWeights':
          expect = m.inputWidth === undefined ? 'error' : 'ok';
          value = m.getWeights().map((w) => bits(w.dataSync())).join(' ');
          break;
        case 'setWeights': {
          const ws = !m.isDisposed && m.inputWidth !== undefined ? m.getWeights() : [];
          // A model trained into NaN (a degenerate loss) cannot have its own weights set back: they are refused.
          const finite = ws.every((w) => w.dataSync().every(Number.isFinite));
          if (m.inputWidth === undefined) expect = 'error';
          else expect = (cmd.mode === 'same' || cmd.mode === 'scaled') && finite ? 'ok' : 'error';
          let given: df.Input[] = ws.map((w) => ({ data: w.dataSync().map((v) => (cmd.mode === 'scaled' ? v * 0.5 : v)), shape: w.shape }));
          if (cmd.mode === 'wrongCount') given = given.concat([[1]]);
          if (cmd.mode === 'wrongShape' && ws.length) given[0] = { data: new Float32Array(ws[0].size + 1), shape: [ws[0].size + 1] };
          if (cmd.mode === 'wrongShape' && !ws.length) given = [[1]];
          if (cmd.mode === 'nan' && ws.length) given[ws.length - 1] = { data: ws[ws.length - 1].dataSync().fill(Number.NaN), shape: ws[ws.length - 1].shape };
          if (cmd.mode === 'nan' && !ws.length) given = [[Number.NaN]];
          m.setWeights(given);
          break;
        }
        case 'saveLoad': {
          expect = m.inputWidth === undefined || !this.finiteState(m, cmd.includeOptimizer) ? 'error' : 'ok';
          value = await this.saveLoad(m, cmd.includeOptimizer);
          break;
        }
        case 'save': {
          expect = m.inputWidth === undefined || !this.finiteState(m, false) ? 'error' : 'ok';
          let bytes = 0;
          await m.save(df.io.withSaveHandler((a) => void (bytes = (a.weightData as ArrayBuffer).byteLength)));
          value = String(bytes);
          break;
        }
        case 'add': {
          expect = 'ok';
          m.add(layerOf(cmd.layer));
          break;
        }
        case 'addHostile': {
          expect = 'error';
          if (cmd.kind === 'huge') {
            // Unbuilt, a huge layer would be accepted (and every later build refused): a built model must refuse it now.
            if (m.inputWidth === undefined || m.isDisposed) return { ok: true, text: 'skipped' };
            m.getWeights();
            m.add(df.layers.dense({ units: 2e9 }));
          } else if (cmd.kind === 'badWidth') {
            const width = m.layers.length ? widthOf(shapeAfter(m, m.layers.length - 1)) : undefined;
            if (width === undefined) return { ok: true, text: 'skipped' };
            m.add(df.layers.dense({ units: 2, inputShape: [width + 1] }));
          } else if (cmd.kind === 'duplicate') m.add(m.layers[0]);
          else m.add({ units: 3 } as unknown as df.Layer);
          break;
        }
        case 'compile': {
          expect = cmd.optimizer !== 'same' && cmd.optimizer.hostile ? 'error' : 'ok';
          const optimizer = cmd.optimizer === 'same' ? m.optimizer! : optimizerOf(cmd.optimizer);
          m.compile({ optimizer, loss: cmd.loss, metrics: metricsFor(cmd.loss) });
          break;
        }
        case 'compileHostile': {
          expect = 'error';
          if (cmd.kind === 'loss') m.compile({ optimizer: 'sgd', loss: 'meanSquaredLogarithmicErrorX' });
          else if (cmd.kind === 'metric') m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1score'] });
          else m.compile({ optimizer: 'adamz', loss: 'mse' });
          break;
        }
        case 'restoreOptimizerState': {
          // A diverged state (NaN) is refused when set back, as setWeights refuses NaN weights.
          expect = m.inputWidth === undefined ? 'error' : this.finiteState(m, true) ? 'ok' : 'either';
          m.setOptimizerState(m.getOptimizerState());
          break;
        }
        case 'dispose':
          expect = 'ok';
          m.dispose();
          break;
        case 'setThreads': {
          expect = 'ok';
          this.threadsChanged = true;
          value = String(await df.setThreads(cmd.n));
          break;
        }
        case 'concurrent':
          throw new Error('nested concurrency is not generated');
      }
      if (disposed && cmd.op !== 'dispose' && cmd.op !== 'setThreads' && cmd.op !== 'addHostile') expect = 'error';
      if (this.checking && (expect === 'error' || refusedWhileBusy)) fail(`${cmd.op} should have been refused: ${JSON.stringify(cmd)}`);
      return { ok: true, text: value };
    } catch (e) {
      const text = checkError(e, cmd.op);
      fromCallback = (e as { fromCallback?: boolean }).fromCallback === true;
      if (this.checking) {
        if (disposed && !hostileOptimizer && !DISPOSED.test(text)) fail(`${cmd.op} on a disposed model: ${text}`);
        if (refusedWhileBusy && !disposed && !BUSY.test(text)) fail(`${cmd.op} during a fit was refused, but not as busy: ${text}`);
        if (!disposed && !refusedWhileBusy && expect === 'ok') fail(`${cmd.op} should have worked: ${text}\n${JSON.stringify(cmd)}`);
        // A callback's own error ends the fit where it was: the batches before it count, as in Keras.
        // (During a fit, an awaiting call lets the fit go on meanwhile: only synchronous ones can be compared.)
        const overlapped = busy && (cmd.op === 'fit' || cmd.op === 'save' || cmd.op === 'saveLoad');
        if (!fromCallback && !overlapped && snapshot(m) !== before) fail(`${cmd.op} failed (${text}) but changed the model:\n${firstDifference(before, snapshot(m))}`);
      }
      return { ok: false, text };
    } finally {
      void id;
    }
  }

  /** A fit with its generated callback; resolves to its outcome instead of rejecting. */
  private callFit(cmd: FitCmd): Promise<Outcome> {
    const m = this.model;
    const d = buildData(cmd.data, m, this.spec);
    const split = cmd.validationSplit;
    const batchValid = Number.isInteger(cmd.batchSize) && cmd.batchSize >= 1 && cmd.batchSize <= 2 ** 31 - 1;
    const splitValid = split === 0 || (d.rows > 0 && Math.ceil(d.rows * (1 - split)) < d.rows);
    const valid = !d.hostileX && !d.hostileY && batchValid && splitValid;
    let batches = 0;
    const cb = cmd.callback;
    const callbacks: df.Callback[] = [];
    if (cb.kind === 'yield') callbacks.push({ onBatchEnd: () => new Promise<void>((r) => setImmediate(r)) });
    if (cb.kind === 'stopAt') callbacks.push({ onBatchEnd: () => void (batches++ === cb.batch && (m.stopTraining = true)) });
    if (cb.kind === 'predict') callbacks.push({ onEpochEnd: () => void m.predict(d.xFlat.length ? { data: d.xFlat, shape: [d.rows, d.xFlat.length / d.rows] } : [[0]]) });
    if (cb.kind === 'setLearningRate') callbacks.push({ onEpochBegin: () => void (m.optimizer!.learningRate = cb.lr) });
    if (cb.kind === 'throwAt') {
      callbacks.push({
        onBatchEnd: () => {
          if (batches++ === cb.batch) throw new Error(CALLBACK_ERROR);
        },
      });
    }
    const promise = m.fit(d.x, d.y, { epochs: cmd.epochs, batchSize: cmd.batchSize, shuffle: cmd.shuffle, validationSplit: split, verbose: 0, callbacks });
    return promise.then(
      (h) => {
        if (this.checking && !valid && !m.isDisposed) fail(`fit should have been refused: ${JSON.stringify(cmd)}`);
        return { ok: true, text: Object.entries(h.history).map(([k, v]) => `${k}=${v.map(f64bits).join(',')}`).join(' ') };
      },
      (e) => {
        const text = checkError(e, 'fit');
        if (this.checking && valid && text !== CALLBACK_ERROR && !m.isDisposed && !BUSY.test(text)) fail(`fit should have worked: ${text}\n${JSON.stringify(cmd)}`);
        return { ok: false, text };
      },
    );
  }

  /** Saves to memory, loads it back: the same predictions bit for bit (and optimizer state when included). */
  private async saveLoad(m: df.Sequential, includeOptimizer: boolean): Promise<string> {
    let artifacts: df.ModelArtifacts | undefined;
    await m.save(df.io.withSaveHandler((a) => void (artifacts = a)), { includeOptimizer });
    const loaded = this.track(await df.loadLayersModel(df.io.fromMemory(artifacts!)));
    const probe = { data: Float32Array.from({ length: 3 * m.inputWidth! }, (_, i) => Math.fround(Math.sin(i))), shape: [3, m.inputWidth!] };
    const same = bits(loaded.predict(probe).dataSync()) === bits(m.predict(probe).dataSync());
    if (this.checking && !same) fail('a saved and loaded model predicts differently');
    if (this.checking && includeOptimizer) {
      const [a, b] = [m.getOptimizerState(), loaded.getOptimizerState()];
      if (a.iterations !== b.iterations || a.slots.map(bits).join() !== b.slots.map(bits).join()) fail('a loaded model resumes with different optimizer state');
    }
    loaded.dispose();
    return `${(artifacts!.weightData as ArrayBuffer).byteLength}`;
  }

  /** Gradients against central differences of the float64 model, where the model and loss are smooth. */
  private checkGradients(m: df.Sequential, d: Data, grads: Float32Array[]): void {
    if (!gradientCheckable(m)) return;
    const weights = m.getWeights().map((w) => w.dataSync());
    if (!weights.every((w) => w.every((v) => Number.isFinite(v) && Math.abs(v) < 1e3))) return;
    const yFlat = toFlat(d.y);
    const want = referenceGradients(m, weights, d.xFlat, yFlat, d.rows);
    want.forEach((ref, t) => {
      const scale = ref.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      ref.forEach((r, i) => {
        const err = Math.abs(grads[t][i] - r);
        if (!(err <= 2e-3 * (Math.abs(r) + 0.05 * scale) + 1e-5)) fail(`gradient ${t}[${i}] = ${grads[t][i]} but central differences of the float64 model give ${r}`);
      });
    });
  }

  /** Whether the weights (and optimizer state) are finite: a model that diverged cannot be saved. */
  private finiteState(m: df.Sequential, includeOptimizer: boolean): boolean {
    if (m.isDisposed || m.inputWidth === undefined) return true;
    const finite = (a: Float32Array) => a.every(Number.isFinite);
    return m.getWeights().every((w) => finite(w.dataSync())) && (!includeOptimizer || m.getOptimizerState().slots.every(finite));
  }

  private checkReference(m: df.Sequential, d: Data, got: Float32Array): void {
    const weights = m.getWeights().map((w) => w.dataSync());
    // A diverged model (NaN weights) has no reference: NaN's order through max and min is the kernels' own.
    if (!weights.every((w) => w.every(Number.isFinite))) return;
    const want = referencePredict(m, weights, d.xFlat, d.rows);
    const { ok, at } = agrees(got, want);
    if (!ok) fail(`predict[${at}] = ${got[at]} but the float64 reference gives ${want[at]}`);
  }

  /** Disposes every model this runner made. */
  disposeAll(): void {
    for (const m of this.all) m.dispose();
  }
}

const CALLBACK_ERROR = 'a callback failed on purpose';

/** Bytes handed out by the current runtime, not counting the shared workspace (it only grows). */
export function usedBytes(): number {
  const { heap } = getRuntime();
  const info = df.memory();
  return heap.allocatedBytes - info.workspaceBytes;
}

/** The whole property for one generated sequence: run and check, replay and compare, then no leak. */
export async function checkSequence(model: ModelGen, cmds: Cmd[]): Promise<void> {
  const before = usedBytes();
  const main = new Runner(model);
  const replay = new Runner(model, false);
  try {
    // The checked run stages data a window of a few rows at a time, as a big data set is; the replay
    // stages it whole. Both must give the same bits.
    const defaults = { ...staging };
    Object.assign(staging, { wholeBytes: 64, windowBytes: 48 });
    try {
      await main.run(cmds);
    } finally {
      Object.assign(staging, defaults);
    }
    const finalMain = snapshot(main.model);
    await replay.run(cmds);
    for (const [id, o] of main.outcomes) {
      const r = replay.outcomes.get(id);
      if (!r) continue;
      if (r.ok !== o.ok || r.text !== o.text) fail(`call ${id} did not replay the same: ${o.ok ? 'ok' : 'error'} ${o.text.slice(0, 300)} vs ${r.ok ? 'ok' : 'error'} ${r.text.slice(0, 300)}`);
    }
    const finalReplay = snapshot(replay.model);
    if (finalReplay !== finalMain) fail(`the replayed model ends in another state:\n${firstDifference(finalMain, finalReplay)}`);
    const wasm = df.memory().wasmBytes;
    if (wasm > 512 * 2 ** 20) fail(`WebAssembly memory grew to ${wasm} bytes`);
  } finally {
    main.disposeAll();
    replay.disposeAll();
  }
  if (!main.threadsChanged && usedBytes() > before) fail(`${usedBytes() - before} bytes were left allocated after every model was disposed`);
}
