// src/index.ts as the Node bundle builds it (scripts/build-bundles.mjs): the same exports, with io, data,
// plot and text in node/extras.js, required the first time one is read (node-lazy.ts), so that
// `import 'deltaflow'` parses the training core alone. The sources and their tests use src/index.ts.
import { lazyNamespace } from './lazy-namespace.js';
import { loadExtras, type Extras } from './node-lazy.js';

export * from '../core.js';
export { ModelFormatError } from '../io/errors.js';
/** Loads a model saved in TensorFlow.js's Layers format, from a URL, a file:// path or a handler. */
export const loadLayersModel: Extras['loadLayersModel'] = (source, options) => loadExtras().loadLayersModel(source, options);
/** Save and load handlers with TensorFlow.js's names: `df.io.fromMemory(artifacts)`, `df.io.withSaveHandler(fn)`, the URL routers and a model's userDefinedMetadata. */
export const io: Extras['io'] = lazyNamespace(() => loadExtras().io);
/** df.data: CSV reading, tables, one-hot, scalers, seeded splits. */
export const data: Extras['data'] = lazyNamespace(() => loadExtras().data);
/** df.plot: learning curves and other SVG plots. */
export const plot: Extras['plot'] = lazyNamespace(() => loadExtras().plot);
/** df.text: Keras's tokenizer and padSequences. */
export const text: Extras['text'] = lazyNamespace(() => loadExtras().text);
