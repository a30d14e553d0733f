// df.plot: learning curves, confusion matrices and predicted-vs-actual scatters as SVG strings.

export { history, type HistoryLike, type HistoryPlotOptions } from './history.js';
export { confusionMatrix, confusionCounts, classesOf, type ConfusionMatrixOptions } from './confusion.js';
export { predictedVsActual, type PredictedVsActualOptions } from './scatter.js';
export { escapeXml, niceTicks, type Ticks } from './svg.js';
