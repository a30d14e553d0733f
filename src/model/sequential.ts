// Sequential: a stack of layers over one arena. TS validates and plans; every numeric pass
// (initialization, forward, loss, backward, optimizer) is a single call into WASM.
import { jsLossRow, losses, type LossName, type LossRow } from '../registry/losses.js';
import { jsMetricRow, resolveMetric, type MetricName, type MetricRow } from '../registry/metrics.js';
import { checkLossFunction, checkMetricFunction, type LossFunction, type MetricFunction } from '../registry/js-functions.js';
import { STAT_COUNT } from '../shared/ids.js';
import { Optimizer, resolveOptimizer, type OptimizerName } from '../optimizers/index.js';
import { Tensor, toMatrix, type Input, type Matrix } from '../tensor.js';
import type { Runtime } from '../wasm/load.js';
import type { Arena } from '../engine/arena.js';
import { Trainer } from '../engine/trainer.js';
import { checkInputs, checkTargets } from './checks.js';
import { checkPositiveInteger } from '../numbers.js';
import { isLayer, type Layer, type LayerOwner } from './layer.js';
import { showShape, sizeOf } from './input.js';
import type { CompiledSpec, PlanSpec, TensorEntry } from '../engine/planner.js';
import { summarize } from './summary.js';
import { getSaver } from './saver.js';
import { fitModel, type FitArgs } from '../train/fit.js';
import type { History } from '../train/history.js';
import type { Logs } from '../train/logs.js';
import { readLayerWeights } from './layer-weights.js';
import { LayerVariable } from './variable.js';
import { checkOptions } from '../options.js';
import { COMPILE_OPTIONS, EVALUATE_OPTIONS, PREDICT_OPTIONS, SEQUENTIAL_OPTIONS } from './model-options.js';

/** Options of `df.sequential(config)`. */
export interface SequentialConfig {
  /** The layers, first to last (the first declares `inputShape`). */
  layers?: Layer[];
  /** Seeds weight initialization and shuffling: the same seed gives bit-identical training. */
  seed?: number;
  /** The model's name (default 'sequential'). */
  name?: string;
}

/** Options of `model.compile(args)`. */
export interface CompileArgs {
  /** An optimizer by name (Keras 3 defaults) or an object from `df.optimizers` / `df.train`. */
  optimizer: OptimizerName | Optimizer;
  /** A loss name, or a loss written in JS with its gradient (see LossFunction). */
  loss: LossName | LossFunction;
  /** Metric names or functions (logged under the function's name), or one name (as tfjs accepts). */
  metrics?: (MetricName | MetricFunction)[] | MetricName;
}

export type { Logs } from '../train/logs.js';

/** Rows per call of predict and evaluate when no batchSize is given (Keras's default). */
const DEFAULT_BATCH = 32;

/** What a plan is made from: the layers, and once compiled the loss and optimizer. */
interface ModelState {
  layers: readonly Layer[];
  loss?: LossRow;
  optimizer?: Optimizer;
}

/** A linear stack of layers, Keras's and tfjs's Sequential: add layers, compile, fit, evaluate, predict, save. */
export class Sequential {
  /** The layers in order; add one with `add` rather than changing this array. */
  readonly layers: Layer[] = [];
  /** The model's name ('sequential' unless given). */
  readonly name: string;
  /** Set to true from a callback to stop fit() after the current batch. */
  stopTraining = false;
  /** The optimizer `compile` set (the same object across recompiles keeps its state). */
  optimizer?: Optimizer;
  /** @internal */ lossRow?: LossRow;
  /** The compiled metric names; resolved against the output width as it is when used (see metricRows). */
  private metricNames: (string | MetricFunction)[] = [];
  /** Owns the arena (parameters, gradients, optimizer state) and makes every call into WASM. */
  private readonly trainer: Trainer;
  private disposed = false;
  /** A fit() is running: the model's structure and optimizer state belong to it until it ends. */
  private fitting = false;
  /** The shape of one input row, once known (declared by the first layer or fixed by fit/predict). */
  private inShape?: number[];

  constructor(config: SequentialConfig = {}) {
    config = checkOptions('sequential', config, SEQUENTIAL_OPTIONS);
    if (config.seed !== undefined && (!Number.isInteger(config.seed) || config.seed < 0 || config.seed > 0xffffffff)) {
      throw new Error(`seed must be an integer in [0, 2^32), got ${config.seed}`);
    }
    this.trainer = new Trainer(this, config.seed ?? Math.floor(Math.random() * 0x100000000));
    this.name = config.name ?? 'sequential';
    for (const layer of config.layers ?? []) this.add(layer);
  }

  /**
   * Appends a layer; a built model keeps its weights and initializes only the new one. Refused during
   * fit(); a layer that cannot be added (a bad width, too large for memory) leaves the model as it was.
   */
  add(layer: Layer): void {
    this.alive();
    this.idle('add');
    if (!isLayer(layer)) throw new Error(`add: expected a layer from df.layers (dense, conv2d, maxPooling2d, flatten, …), got ${typeof layer}`);
    // The name it will have, so that every error below names it as the model would ('conv2d_1', not 'conv2d').
    const name = layer.name ?? uniqueName(this.layers, layer.kindName);
    if (this.layers.some((l) => l.name === name)) throw new Error(`a layer named '${name}' is already in the model`);
    if (this.layers.includes(layer)) throw new Error(`layer '${name}' is already in the model`);
    if (this.layers.length > 0 && layer.firstOnly) throw new Error(`layer '${name}' (${layer.className}) must be the model's first layer: ${layer.firstOnly}`);
    const prev = this.layers.length ? this.shapeAfter(this.layers.length - 1) : undefined;
    if (prev !== undefined && layer.inputShape !== undefined && showShape(layer.inputShape) !== showShape(prev)) {
      throw new Error(`layer '${name}' declares input shape ${showShape(layer.inputShape)} but the previous layer's output shape is ${showShape(prev)}`);
    }
    // If anything below fails, nothing has changed (the layer keeps its own name).
    const given = layer.name;
    layer.name = name;
    let next: Arena | undefined;
    try {
      // A shape the layer cannot take is refused now, naming the layer (a kernel larger than its input, softmax over an image).
      const inShape = prev ?? (this.layers.length === 0 ? layer.inputShape : undefined);
      if (inShape) layer.computeOutputShape(inShape);
      // The new arena first.
      const state = { ...this.state(), layers: [...this.layers, layer] };
      if (this.trainer.arena) next = this.trainer.replan(this.planSpec(this.inShape, state), this.compiledSpec(state), true);
    } catch (e) {
      layer.name = given;
      throw e;
    }
    this.layers.push(layer);
    layer.attachTo(this.layerOwner);
    if (this.layers.length === 1) this.inShape = layer.inputShape;
    if (next) this.trainer.adoptGrown(next, this.optimizer);
  }

  /**
   * Sets the loss, optimizer and metrics. The same optimizer object again keeps its state and
   * iterations (as Keras does); a new one starts fresh, at iteration 0. One optimizer object keeps one
   * model's state: compiling it into a second live model is an error. Refused during fit().
   */
  compile(args: CompileArgs): void {
    this.alive();
    this.idle('compile');
    if (!args || typeof args !== 'object') throw new Error("compile: expected { optimizer, loss, metrics? }, e.g. { optimizer: 'adam', loss: 'mse' }");
    args = checkOptions('compile', args, COMPILE_OPTIONS);
    if (this.layers.length === 0) throw new Error('compile: the model has no layers; add df.layers.dense(…) first');
    // A loss written in JS is an object (or, tfjs-style, a function that gets a clear error).
    const loss = args.loss !== null && (typeof args.loss === 'object' || typeof args.loss === 'function') ? jsLossRow(checkLossFunction(args.loss)) : losses.get(args.loss);
    const optimizer = resolveOptimizer(args.optimizer);
    // tfjs accepts one metric name on its own.
    const names = typeof args.metrics === 'string' ? [args.metrics] : args.metrics ?? [];
    if (!Array.isArray(names)) throw new Error(`compile: metrics must be a list of names such as ['accuracy'], got ${typeof names}`);
    // Checked now; which accuracy 'accuracy' means depends on the output width, which may not be known yet.
    const keys = names.map((m) => (typeof m === 'function' ? checkMetricFunction(m) : resolveMetric(m, loss, this.widthOf(this.shapeAfter(this.layers.length - 1)) ?? 2).key));
    const twice = keys.find((k, i) => k === 'loss' || keys.indexOf(k) !== i);
    if (twice !== undefined) throw new Error(`compile: two metrics (or a metric and the loss) would both be logged as '${twice}'; name the function differently`);
    const same = optimizer === this.optimizer;
    if (!same) optimizer.claim(this.stateOwner, 'compile');
    const state = { layers: this.layers, loss, optimizer };
    const next = this.trainer.arena && this.trainer.replan(this.planSpec(this.inShape, state), this.compiledSpec(state), same);
    this.lossRow = loss;
    this.optimizer = optimizer;
    this.metricNames = [...names];
    this.trainer.lossFunction = loss.js;
    this.trainer.adoptCompiled(next, optimizer, !same);
    if (!same) optimizer.iterations = 0;
  }

  /** Trains for a number of epochs; resolves to the History of losses and metrics per epoch. One fit at a time. */
  fit(x: Input, y: Input, args: FitArgs = {}): Promise<History> {
    // One fit at a time: from here until it ends, add/compile/trainOnBatch are refused and dispose() waits.
    try {
      this.alive();
      if (this.fitting) throw new Error(`fit: another fit() call on model '${this.name}' is still running; await it before starting another`);
      if (!this.lossRow || !this.optimizer) throw notCompiled();
    } catch (e) {
      return Promise.reject(e);
    }
    this.fitting = true;
    const model = this;
    return fitModel(
      {
        model,
        trainer: this.trainer,
        optimizer: this.optimizer,
        regression: this.lossRow.kind === 'regression',
        data: (x, y) => this.data(x, y),
        arena: (shape) => this.ready(shape),
        metrics: () => this.metricRows,
        get disposed() {
          return model.disposed;
        },
        end: () => {
          this.fitting = false;
          if (this.disposed) this.trainer.free();
        },
      },
      x,
      y,
      args,
    );
  }

  /** The model's outputs for x, computed `batchSize` rows at a time (default 32); a deltaflow Tensor of shape [rows, …outputShape]. */
  predict(x: Input, args: { batchSize?: number } = {}): Tensor {
    this.alive();
    args = checkOptions('predict', args, PREDICT_OPTIONS);
    const m = toMatrix(x, 'x');
    if (this.inShape !== undefined) checkInputs(m, this.inShape);
    this.layers[0]?.checkInputValues(m);
    for (const layer of this.layers) layer.checkPrediction(this.layers);
    const arena = this.ready(m.shape);
    const cap = batchRows(args, m.rows);
    return new Tensor(this.trainer.predict(arena, m, cap, this.outputUnits), [m.rows, ...this.rowOutputShape]);
  }

  /** Loss and metrics over (x, y), as plain numbers keyed like History. */
  evaluate(x: Input, y: Input, args: { batchSize?: number } = {}): Logs {
    this.alive();
    args = checkOptions('evaluate', args, EVALUATE_OPTIONS);
    const { xm, ym } = this.data(x, y);
    return this.trainer.evaluate(this.ready(xm.shape), xm, ym, batchRows(args, xm.rows), () => this.metricRows);
  }

  /** One optimizer step on (x, y) as a single batch; returns that batch's loss (before the step). */
  trainOnBatch(x: Input, y: Input): number {
    this.alive();
    this.idle('trainOnBatch');
    const { xm, ym } = this.data(x, y);
    return this.trainer.trainOnBatch(this.ready(xm.shape), xm, ym, this.optimizer!);
  }

  /** The loss on (x, y) as one batch and its gradient for every weight, in getWeights() order. */
  computeGradients(x: Input, y: Input): { loss: number; grads: Tensor[] } {
    this.alive();
    const { xm, ym } = this.data(x, y);
    const { loss, grads } = this.trainer.computeGradients(this.ready(xm.shape), xm, ym);
    return { loss, grads: this.tensors(grads, true) };
  }

  /** Copies of the weights: [kernel0 [in, out], bias0 [out], kernel1, …], then the non-trainable ones (tfjs's order). */
  getWeights(): Tensor[] {
    this.alive();
    return this.tensors(this.built().params());
  }

  /** Replaces every weight; shapes and values are all checked before anything is written. */
  setWeights(weights: readonly Input[]): void {
    this.alive();
    const arena = this.built();
    const shapes = arena.layout.tensors.map((t) => t.weight.shape);
    if (!Array.isArray(weights) || weights.length !== shapes.length) {
      throw new Error(`setWeights: expected ${shapes.length} arrays (${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}), got ${Array.isArray(weights) ? weights.length : typeof weights}`);
    }
    const flat = new Float32Array(arena.layout.nParams + arena.layout.nState);
    weights.forEach((w, i) => {
      const t = arena.layout.tensors[i];
      const shape = t.weight.shape;
      const m = toMatrix(w, `weights[${i}]`);
      // 1-D weights may come as a row or a column; the others in their exact shape.
      const matches = shape.length === 1 ? m.rows * m.cols === t.size && (m.cols === 1 || m.rows === 1) : showShape(m.dims) === showShape(shape);
      if (!matches) throw new Error(`setWeights: weights[${i}] has shape ${showShape(m.dims)} but ${this.layers[t.layer].name}/${t.weight.name} needs ${showShape(shape)}`);
      flat.set(m.data, t.offset);
    });
    arena.params().set(flat);
  }

  /** A Keras-style table of layers, output shapes and parameter counts; printed and returned. */
  summary(printFn: ((line: string) => void) | null = console.log): string {
    this.alive();
    const text = summarize(this.name, this.layers, this.inputShape);
    printFn?.(text);
    return text;
  }

  /**
   * The optimizer's state: its step count and each state slot as one array over all parameters in
   * getWeights() order (Adam: [m, v]); for saving a model so that training resumes exactly.
   */
  getOptimizerState(): { iterations: number; slots: Float32Array[] } {
    this.alive();
    const optimizer = this.optimizer;
    if (!optimizer) throw new Error('the model is not compiled: it has no optimizer state');
    const arena = this.built();
    const n = arena.layout.nParams;
    const all = arena.slots();
    return { iterations: optimizer.iterations, slots: Array.from({ length: optimizer.slots }, (_, s) => all.slice(s * n, (s + 1) * n)) };
  }

  /** Restores what getOptimizerState() returned (same optimizer kind and model); checked before writing. */
  setOptimizerState(state: { iterations: number; slots: ArrayLike<number>[] }): void {
    this.alive();
    this.idle('setOptimizerState');
    const optimizer = this.optimizer;
    if (!optimizer) throw new Error('the model is not compiled: compile it with the optimizer before restoring its state');
    const arena = this.built();
    const n = arena.layout.nParams;
    if (!Number.isInteger(state?.iterations) || state.iterations < 0) throw new Error(`optimizer state: iterations must be an integer ≥ 0, got ${state?.iterations}`);
    if (!Array.isArray(state.slots) || state.slots.length !== optimizer.slots) {
      throw new Error(`optimizer state: '${optimizer.name}' keeps ${optimizer.slots} slot arrays, got ${Array.isArray(state.slots) ? state.slots.length : typeof state.slots}`);
    }
    state.slots.forEach((s, i) => {
      if (!s || s.length !== n) throw new Error(`optimizer state: slot ${i} has ${s?.length} values, the model has ${n} parameters`);
      for (let j = 0; j < n; j++) if (!Number.isFinite(s[j])) throw new Error(`optimizer state: slot ${i}[${j}] is ${s[j]}`);
    });
    const all = arena.slots();
    state.slots.forEach((s, i) => all.set(s, i * n));
    optimizer.iterations = state.iterations;
  }

  /** The width of the model's input rows, once known (declared by the first layer or fixed by fit/predict). */
  get inputWidth(): number | undefined {
    return this.widthOf(this.inputShape);
  }

  /** The shape of one input row, once known: [features], or [height, width, channels]. */
  get inputShape(): number[] | undefined {
    const shape = this.inShape ?? this.layers[0]?.inputShape;
    return shape && [...shape];
  }

  /**
   * The seeded generators' states (4 × u32 each): the model's stream (shuffles, initializers) and each
   * Dropout layer's mask stream, by layer index; saving them lets a loaded model resume training exactly.
   */
  getGeneratorStates(): { model: Uint32Array; layers: (Uint32Array | null)[] } {
    this.alive();
    const arena = this.built();
    const words = (ptr: number) => new Uint32Array(this.rt.heap.u8(ptr, 16).slice().buffer);
    return { model: words(arena.rng), layers: arena.spec.layers.map((l, i) => (l.stream ? words(arena.layerRng(i)) : null)) };
  }

  /** Restores states from getGeneratorStates(); entries left null or undefined keep their current state. */
  setGeneratorStates(states: { model?: ArrayLike<number>; layers?: (ArrayLike<number> | null | undefined)[] }): void {
    this.alive();
    this.idle('setGeneratorStates');
    const arena = this.built();
    const write = (ptr: number, w: ArrayLike<number>, what: string) => {
      if (w.length !== 4 || !Array.from(w).every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff) || Array.from(w).every((v) => v === 0)) {
        throw new Error(`${what} must be 4 unsigned 32-bit words, not all zero`);
      }
      this.rt.heap.u8(ptr, 16).set(new Uint8Array(Uint32Array.from(w).buffer));
    };
    if (states.model) write(arena.rng, states.model, 'generator state');
    states.layers?.forEach((w, i) => {
      if (!w) return;
      if (!arena.spec.layers[i]?.stream) throw new Error(`generator state for layer ${i}: '${this.layers[i]?.name}' has no random stream of its own (only Dropout has)`);
      write(arena.layerRng(i), w, `generator state of layer '${this.layers[i].name}'`);
    });
  }

  /**
   * Saves the model in TensorFlow.js's format to 'file://dir' (Node), 'indexeddb://name',
   * 'localstorage://name', 'downloads://name', 'http(s)://…' (POST) or a handler such as
   * df.io.withSaveHandler(fn); { includeOptimizer: true } adds what an exact resume of fit() needs.
   */
  async save(
    handlerOrUrl: string | import('../io/types.js').IOHandler,
    options?: import('../io/types.js').SaveOptions,
  ): Promise<import('../io/types.js').SaveResult> {
    return getSaver()(this, handlerOrUrl, options);
  }

  /**
   * Frees the model's memory now (it is also freed when the model is garbage-collected). During fit(),
   * the fit stops after the current batch, skips the remaining callbacks, resolves with the history so
   * far, and the memory is freed then. Any later call on the model is an error.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.fitting) {
      this.stopTraining = true;
      return;
    }
    this.trainer.free();
  }

  /** Whether dispose() was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Throws if a fit() is running: `what` would change the structure or the state it is training. */
  private idle(what: string): void {
    if (this.fitting) {
      throw new Error(`${what}: model '${this.name}' is training in fit(); call ${what} after fit() resolves (set model.stopTraining = true to end it early)`);
    }
  }

  /** As the keeper of its optimizer's state: while not disposed and still compiled with it. */
  private readonly stateOwner = {
    describe: () => `model '${this.name}'`,
    keeps: (o: Optimizer) => !this.disposed && this.optimizer === o,
  };

  /** The width of the model's output; an error while it depends on an input width not known yet. */
  get outputUnits(): number {
    return sizeOf(this.rowOutputShape);
  }

  /** tfjs's model.outputShape: [null, …the shape of one output row], the batch axis as null; an error while the input shape is unknown. */
  get outputShape(): (number | null)[] {
    return [null, ...this.rowOutputShape];
  }

  /** The shape of one output row; an error while it depends on an input shape not known yet. */
  private get rowOutputShape(): number[] {
    if (this.layers.length === 0) throw new Error('the model has no layers; add df.layers.dense(…) first');
    const shape = this.shapeAfter(this.layers.length - 1);
    if (shape === undefined) throw new Error(`model '${this.name}': its output shape follows its input shape, which is not known yet; give the first layer an inputShape, or call fit or predict`);
    return shape;
  }

  /** tfjs's model.countParams(): the number of values in all weights, trainable or not. */
  countParams(): number {
    this.alive();
    return this.built().layout.tensors.reduce((n, t) => n + t.size, 0);
  }

  /**
   * tfjs's model.weights: one handle per weight in getWeights() order, named 'layer/weight' ('dense/kernel'),
   * with shape, dtype, trainable, read() (a copy of its values now) and write(values).
   */
  get weights(): LayerVariable[] {
    this.alive();
    const table = this.built().layout.tensors;
    return table.map((t) => {
      const layer = this.layers[t.layer];
      const index = table.filter((u) => u.layer === t.layer).indexOf(t);
      return new LayerVariable(layer, index, `${layer.name}/${t.weight.name}`, t.weight.shape, t.trainable);
    });
  }

  /** tfjs's model.getLayer: by name, or by index (getLayer(index) or getLayer(undefined, index)). */
  getLayer(nameOrIndex?: string | number, index?: number): Layer {
    const at = index ?? (typeof nameOrIndex === 'number' ? nameOrIndex : undefined);
    if (at !== undefined) {
      if (!Number.isInteger(at) || at < 0 || at >= this.layers.length) {
        throw new Error(`getLayer: index ${at} is out of range: model '${this.name}' has ${this.layers.length} layer(s)`);
      }
      return this.layers[at];
    }
    if (typeof nameOrIndex !== 'string') throw new Error(`getLayer: expected a layer name or an index, got ${nameOrIndex === undefined ? 'neither' : typeof nameOrIndex}`);
    const found = this.layers.find((l) => l.name === nameOrIndex);
    if (!found) throw new Error(`getLayer: model '${this.name}' has no layer named '${nameOrIndex}'; its layers are ${this.layers.map((l) => `'${l.name}'`).join(', ') || 'none'}`);
    return found;
  }

  /** tfjs's model.predictOnBatch(x): predict() on all rows of x as one batch. */
  predictOnBatch(x: Input): Tensor {
    this.alive();
    return this.predict(x, { batchSize: toMatrix(x, 'x').rows });
  }

  /** What each layer asks of this model (getWeights, setWeights, outputShape, countParams on a layer). */
  private readonly layerOwner: LayerOwner = {
    layerInputShape: (layer) => {
      const l = this.layers.indexOf(layer);
      return l < 0 ? undefined : l === 0 ? this.inputShape : this.shapeAfter(l - 1);
    },
    layerWeights: (layer, trainableOnly) => {
      this.alive();
      const params = this.built().params();
      return this.layerSlots(layer).filter((t) => t.trainable || !trainableOnly).map((t) => new Tensor(params.slice(t.offset, t.offset + t.size), t.weight.shape));
    },
    setLayerWeights: (layer, weights) => {
      this.alive();
      const slots = this.layerSlots(layer);
      const values = readLayerWeights(`layer '${layer.name}' (${layer.className})`, slots.map((t) => ({ name: t.weight.name, shape: t.weight.shape, offset: t.offset })), weights);
      const params = this.built().params();
      slots.forEach((t, i) => params.set(values[i], t.offset));
    },
  };

  /** The weight table's entries of one layer of this model, in the layer's order. */
  private layerSlots(layer: Layer): TensorEntry[] {
    const l = this.layers.indexOf(layer);
    return this.built().layout.tensors.filter((t) => t.layer === l);
  }

  /** @internal The compiled metrics, for the output width as it is now (a layer added later changes it). */
  get metricRows(): MetricRow[] {
    if (!this.lossRow) return [];
    const units = this.outputUnits;
    // Each metric function sums into its own statistics slot, after the kernels' STAT_COUNT.
    let slot = STAT_COUNT;
    return this.metricNames.map((m) => (typeof m === 'function' ? jsMetricRow(m.name, m, slot++) : resolveMetric(m, this.lossRow!, units)));
  }

  /** The output shape of layer l (undefined while the input shape is unknown). */
  private shapeAfter(l: number, inputShape?: number[]): number[] | undefined {
    let shape = this.inShape ?? this.layers[0]?.inputShape ?? inputShape;
    for (let i = 0; i <= l && shape; i++) shape = this.layers[i].computeOutputShape(shape);
    return shape;
  }

  private widthOf(shape: number[] | undefined): number | undefined {
    return shape && sizeOf(shape);
  }

  // ---- internals used by fit() ----

  /**
   * @internal The runtime the model lives in: its arena's (a model stays in the module it was built in,
   * e.g. single-threaded when setThreads comes later), else the current one, or a clear error before df.ready().
   */
  get rt(): Runtime {
    return this.trainer.rt;
  }

  /** @internal Throws once the model has been disposed. */
  alive(): void {
    if (this.disposed) throw new Error(`model '${this.name}' has been disposed; build a new one`);
  }

  /** @internal Validates x and y against the model and the compiled loss. */
  data(x: Input, y: Input): { xm: Matrix; ym: Matrix } {
    if (!this.lossRow || !this.optimizer) throw notCompiled();
    const xm = toMatrix(x, 'x');
    const ym = toMatrix(y, 'y');
    if (this.inShape !== undefined) checkInputs(xm, this.inShape);
    // The output shape x would give the model, when x is what will fix its input shape.
    checkTargets(ym, xm.rows, this.shapeAfter(this.layers.length - 1, xm.shape)!, this.lossRow);
    this.layers[0]?.checkInputValues(xm);
    for (const layer of this.layers) layer.checkTraining(this.layers);
    return { xm, ym };
  }

  /** @internal The arena, built (weights initialized) for input rows of shape `rowShape` on first use. */
  ready(rowShape: number[]): Arena {
    if (this.layers.length === 0) throw new Error('the model has no layers; add df.layers.dense(…) first');
    const inShape = this.inShape ?? rowShape;
    checkInputs({ shape: rowShape, cols: sizeOf(rowShape) }, inShape);
    if (this.trainer.arena) return this.trainer.arena;
    // Planned before the input shape is fixed, so a model too large for memory (or a shape a layer cannot take) leaves it as it was.
    const arena = this.trainer.build(this.planSpec(inShape), this.compiledSpec(), this.optimizer);
    this.inShape = [...inShape];
    return arena;
  }

  private built(): Arena {
    if (this.trainer.arena) return this.trainer.arena;
    const shape = this.inputShape;
    if (shape === undefined) {
      throw new Error('the model has no weights yet: give the first layer an inputShape, or call fit/predict so it can infer one');
    }
    return this.ready(shape);
  }

  private state(): ModelState {
    return { layers: this.layers, loss: this.lossRow, optimizer: this.optimizer };
  }

  /** Every layer as the planner sees it, for input rows of shape `inShape` (the model's, by default). */
  private planSpec(inShape = this.inShape!, { layers, loss, optimizer }: ModelState = this.state()): PlanSpec {
    let shape = inShape;
    let masked = false;
    const plans = layers.map((l) => {
      const plan = l.plan(shape, masked);
      shape = plan.outShape;
      masked = l.maskOut(masked);
      return plan;
    });
    const targetWidth = loss?.sparse ? 1 : sizeOf(shape);
    return { layers: plans, targetWidth, slots: optimizer?.slots ?? 0, name: this.name, layerNames: layers.map((l) => l.name ?? l.kindName) };
  }

  private compiledSpec({ layers, loss, optimizer }: ModelState = this.state()): CompiledSpec | undefined {
    if (!loss || !optimizer) return undefined;
    const last = layers.at(-1)!;
    // Fused when the last layer applies the activation the loss folds in (sigmoid+BCE, softmax+CCE).
    const fused = last.finalActivation !== undefined && loss.fusesWith === last.finalActivation;
    return { loss: loss.id, fused, sparse: !!loss.sparse, delta: loss.delta ?? 1, optimizer: optimizer.header() };
  }

  /** @internal The parameter tensors in getWeights() order: layer, name, shape, offset in the params block. */
  weightTable(): readonly TensorEntry[] {
    return this.built().layout.tensors;
  }

  /** The tensors of a flat block: every weight, or (gradients) the trainable ones. */
  private tensors(flat: Float32Array, trainableOnly = false): Tensor[] {
    const all = this.built().layout.tensors;
    return (trainableOnly ? all.filter((t) => t.trainable) : all).map((t) => new Tensor(flat.slice(t.offset, t.offset + t.size), t.weight.shape));
  }
}

function notCompiled(): Error {
  return new Error('the model is not compiled: call model.compile({ optimizer, loss }) before fit, evaluate or training');
}

/** The rows per batch of predict/evaluate: `batchSize` (default 32), no more than the rows there are. */
function batchRows(args: { batchSize?: number }, rows: number): number {
  if (args === null || typeof args !== 'object') throw new Error('expected an options object such as { batchSize: 32 }');
  return Math.min(checkPositiveInteger('batchSize', args.batchSize ?? DEFAULT_BATCH), rows);
}

/** Keras's naming: 'dense', 'dense_1', 'conv2d', … per kind. */
function uniqueName(layers: Layer[], kind: string): string {
  const taken = new Set(layers.map((l) => l.name));
  if (!taken.has(kind)) return kind;
  for (let i = 1; ; i++) if (!taken.has(`${kind}_${i}`)) return `${kind}_${i}`;
}

/** df.sequential({ layers, seed }). */
export function sequential(config: SequentialConfig = {}): Sequential {
  return new Sequential(config);
}
