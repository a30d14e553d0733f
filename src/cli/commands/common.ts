// Options and output helpers the commands share.
import type { OptionSpec, Parsed } from '../args.js';
import * as df from '../../entries/node.js';
import { MISSING_CHOICES, delimiterOption, type CsvSettings } from '../dataset.js';

export const CSV_OPTIONS: OptionSpec[] = [
  { name: 'delimiter', kind: 'string', value: '<char>', help: "field separator: one character, 'tab', 'whitespace' or 'auto'", default: 'auto' },
  { name: 'header', kind: 'boolean', help: 'the first line is a header (--no-header: it is data); default: detected' },
  { name: 'missing', kind: 'string', value: '<policy>', choices: MISSING_CHOICES, help: `empty / NA cells: ${MISSING_CHOICES.join(', ')}`, default: 'error' },
  { name: 'encoding', kind: 'string', value: '<name>', choices: df.data.CSV_ENCODINGS, help: `the file's encoding: ${df.data.CSV_ENCODINGS.join(', ')} (Windows-1252); a byte order mark is followed`, default: 'utf-8' },
];

/** The CSV settings the command line gives (undefined where it says nothing). */
export function csvFromArgs(p: Parsed): Partial<CsvSettings> {
  const out: Partial<CsvSettings> = {};
  if (p.options.delimiter !== undefined) out.delimiter = delimiterOption(p.options.delimiter as string);
  if (p.options.header !== undefined) out.header = p.options.header as boolean;
  if (p.options.missing !== undefined) out.missing = p.options.missing as string;
  if (p.options.encoding !== undefined) out.encoding = p.options.encoding as df.data.CsvEncoding;
  return out;
}

/** A metric value as Keras prints it: 4 decimals, or exponent form for tiny / huge values. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(4);
  return v.toFixed(4);
}

/** `loss 0.4512 - accuracy 0.7812`, plus rmse when the loss is the mean squared error. */
export function formatLogs(logs: Record<string, number>, loss?: string): string {
  const parts = Object.entries(logs).map(([k, v]) => `${k} ${fmt(v)}`);
  if (loss === 'mean_squared_error' && logs.loss !== undefined) parts.push(`rmse ${fmt(Math.sqrt(logs.loss))}`);
  return parts.join(' - ');
}

export type Print = (line: string) => void;
