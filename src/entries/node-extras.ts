// The Node entry's io, data, plot and text: save/load (importing io registers model.save and
// layer.getConfig), the data workflow, SVG plots and text preprocessing. entries/node.ts reaches them
// through node-lazy.ts, which in the Node bundle loads this file's bundle the first time one is used.
export { loadLayersModel, io } from '../io/index.js';
export * as data from '../data/index.js';
export * as plot from '../plot/index.js';
export * as text from '../text/index.js';
