// df.data: reading CSV files into tables, choosing features and targets, one-hot labels, scalers
// fitted on training data, and seeded splits.

export {
  readCsv, readCsvFile, readCsvStream, detectDelimiter, CsvError, CSV_ENCODINGS,
  type CsvOptions, type MissingPolicy, type MissingOptions, type CsvEncoding,
} from './csv/index.js';
export { Table, type ColumnType, type ColumnData, type ColumnRef, type SelectOptions, type SplitOptions, type XY, type CategoricalEncoding } from './table.js';
export { oneHot } from './encode.js';
export {
  standardize, minMax, scalerFromJSON, StandardScaler, MinMaxScaler,
  type Scaler, type ScalerJSON, type StandardizeJSON, type MinMaxJSON, type MinMaxOptions,
} from './scalers.js';
export { trainTestSplit, kFold, shuffle, type TrainTestSplitOptions, type TrainTestSplit, type KFoldOptions, type Fold } from './split.js';
export { Rng, permutation } from './random.js';
export { take, type Shaped, type Shaped2D } from './matrix.js';
