// A small hand-written argument parser: `--name value`, `--name=value`, `--flag` / `--no-flag`,
// `-x value` for the few short names, `--` to end the options. Every value is checked here, so a
// command receives typed options and a bad command line is one clear UsageError.
import { UsageError } from './errors.js';

export type OptionKind = 'string' | 'number' | 'integer' | 'boolean' | 'list' | 'integers';

export interface OptionSpec {
  /** The long name without dashes: 'batch-size'. */
  name: string;
  kind: OptionKind;
  /** A one-letter alias: 'o' for -o. */
  short?: string;
  /** The placeholder shown in help: '<n>'. */
  value?: string;
  help: string;
  /** Shown in help as "(default …)". */
  default?: string;
  /** For numbers: inclusive bounds, or exclusive ones (minExclusive: 0 means > 0). Integers are at most INT32_MAX unless max says otherwise. */
  min?: number;
  max?: number;
  minExclusive?: number;
  maxExclusive?: number;
  /** For strings: the accepted values. */
  choices?: readonly string[];
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments, in order; all required. */
  positionals: { name: string; help: string }[];
  options: OptionSpec[];
  examples?: string[];
  notes?: string[];
}

export type OptionValue = string | number | boolean | string[] | number[];

export interface Parsed {
  positionals: string[];
  options: Record<string, OptionValue | undefined>;
  help: boolean;
  debug: boolean;
}

/** The largest count (epochs, batch size, units) an integer option takes: WASM sizes are 32-bit signed. */
export const INT32_MAX = 0x7fffffff;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Options every command takes. */
export const COMMON: OptionSpec[] = [
  { name: 'help', short: 'h', kind: 'boolean', help: 'show this help' },
  { name: 'debug', kind: 'boolean', help: 'print the stack trace of an error' },
];

export function parseArgs(spec: CommandSpec, argv: readonly string[]): Parsed {
  const all = [...spec.options, ...COMMON];
  const byName = new Map(all.map((o) => [o.name, o]));
  const byShort = new Map(all.filter((o) => o.short).map((o) => [o.short!, o]));
  const options: Record<string, OptionValue | undefined> = {};
  const positionals: string[] = [];
  const seen = new Set<string>();
  const cmd = `deltaflow ${spec.name}`;
  // Look at every argument first for --help and --debug, so `train --bogus --help` still shows help.
  const help = argv.includes('--help') || argv.includes('-h');
  const debug = argv.includes('--debug');
  if (help) return { positionals, options, help, debug };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let opt: OptionSpec | undefined;
    let inline: string | undefined;
    let negated = false;
    let shown = arg;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq >= 0) inline = arg.slice(eq + 1);
      shown = `--${name}`;
      opt = byName.get(name);
      if (!opt && name.startsWith('no-')) {
        const base = byName.get(name.slice(3));
        if (base?.kind === 'boolean') {
          opt = base;
          negated = true;
        }
      }
      if (!opt) throw new UsageError(`unknown option ${shown}${suggest(name, all)}; see ${cmd} --help`);
    } else if (arg.startsWith('-') && arg.length > 1 && !NUMBER.test(arg)) {
      const letter = arg[1];
      opt = byShort.get(letter);
      shown = `-${letter}`;
      if (!opt) throw new UsageError(`unknown option ${arg}; see ${cmd} --help`);
      if (arg.length > 2) inline = arg.slice(2).replace(/^=/, '');
    } else {
      positionals.push(arg);
      continue;
    }
    if (seen.has(opt.name)) throw new UsageError(`option --${opt.name} is given twice`);
    seen.add(opt.name);
    if (opt.kind === 'boolean') {
      if (inline !== undefined) {
        if (negated || !/^(true|false|1|0|yes|no)$/i.test(inline)) throw new UsageError(`option ${shown} takes no value (use --${opt.name} or --no-${opt.name}), got '${arg}'`);
        options[opt.name] = /^(true|1|yes)$/i.test(inline);
      } else {
        options[opt.name] = !negated;
      }
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      // A value may start with '-' only when it is a number (--target -1) or a lone '-'.
      if (next === undefined || (next.startsWith('-') && next !== '-' && !NUMBER.test(next))) {
        throw new UsageError(`option ${shown} needs a value (${describeKind(opt)})`);
      }
      raw = next;
      i++;
    }
    options[opt.name] = convert(opt, raw, shown);
  }
  if (positionals.length < spec.positionals.length) {
    const missing = spec.positionals.slice(positionals.length).map((p) => `<${p.name}>`).join(' ');
    throw new UsageError(`missing ${missing}; usage: ${usageLine(spec)}`);
  }
  if (positionals.length > spec.positionals.length) {
    const extra = positionals[spec.positionals.length];
    throw new UsageError(`unexpected argument '${extra}'; usage: ${usageLine(spec)}`);
  }
  return { positionals, options, help, debug };
}

function convert(opt: OptionSpec, raw: string, shown: string): OptionValue {
  const bad = (why: string) => new UsageError(`option ${shown} ${why}, got '${raw}'`);
  switch (opt.kind) {
    case 'string':
      if (raw === '') throw bad('needs a non-empty value');
      if (opt.choices && !opt.choices.includes(raw)) throw bad(`must be one of ${opt.choices.join(', ')}`);
      return raw;
    case 'number':
    case 'integer': {
      const v = toNumber(raw);
      if (v === undefined) throw bad(`must be ${opt.kind === 'integer' ? 'an integer' : 'a number'}`);
      if (opt.kind === 'integer') checkInteger(opt, v, bad);
      else checkRange(opt, v, bad);
      return v;
    }
    case 'list': {
      const items = raw.split(',').map((s) => s.trim());
      if (items.some((s) => s === '')) throw bad('must be a comma-separated list without empty items');
      return items;
    }
    case 'integers': {
      const items = raw.split(',').map((s) => s.trim());
      const values = items.map(toNumber);
      values.forEach((v) => {
        if (v === undefined || !Number.isInteger(v)) throw bad('must be a comma-separated list of integers');
        checkInteger(opt, v, bad);
      });
      return values as number[];
    }
    default:
      throw bad('is not understood');
  }
}

// The bounds first: 4294967297 is an integer, but passed on as one it would wrap to 1 inside WASM.
function checkInteger(opt: OptionSpec, v: number, bad: (why: string) => Error): void {
  if (!Number.isInteger(v)) throw bad('must be an integer');
  checkRange({ ...opt, max: opt.max ?? INT32_MAX }, v, bad);
  if (!Number.isSafeInteger(v)) throw bad('must be an integer');
}

function checkRange(opt: OptionSpec, v: number, bad: (why: string) => Error): void {
  if (opt.min !== undefined && v < opt.min) throw bad(`must be ≥ ${opt.min}`);
  if (opt.max !== undefined && v > opt.max) throw bad(`must be ≤ ${opt.max}`);
  if (opt.minExclusive !== undefined && !(v > opt.minExclusive)) throw bad(`must be > ${opt.minExclusive}`);
  if (opt.maxExclusive !== undefined && !(v < opt.maxExclusive)) throw bad(`must be < ${opt.maxExclusive}`);
}

function toNumber(s: string): number | undefined {
  if (!NUMBER.test(s.trim())) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function describeKind(opt: OptionSpec): string {
  if (opt.choices) return `one of ${opt.choices.join(', ')}`;
  switch (opt.kind) {
    case 'number':
      return 'a number';
    case 'integer':
      return 'an integer';
    case 'list':
      return 'a comma-separated list';
    case 'integers':
      return 'comma-separated integers';
    default:
      return opt.value ?? 'a value';
  }
}

/** ", did you mean --x?" for a close option name (edit distance ≤ 2), else ''. */
function suggest(name: string, all: OptionSpec[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const o of all) {
    const d = distance(name, o.name);
    if (d < bestD) [best, bestD] = [o.name, d];
  }
  return best ? ` (did you mean --${best}?)` : '';
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

export function usageLine(spec: CommandSpec): string {
  return `deltaflow ${spec.name} ${spec.positionals.map((p) => `<${p.name}>`).join(' ')} [options]`.replace(/\s+/g, ' ');
}

/** The --help text of a command. */
export function helpText(spec: CommandSpec): string {
  const lines = [`Usage: ${usageLine(spec)}`, '', spec.summary, ''];
  if (spec.positionals.length) {
    lines.push('Arguments:');
    for (const p of spec.positionals) lines.push(`  ${`<${p.name}>`.padEnd(29)}${p.help}`);
    lines.push('');
  }
  lines.push('Options:');
  for (const o of [...spec.options, ...COMMON]) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.kind === 'boolean' ? '' : ` ${o.value ?? '<value>'}`}`;
    const def = o.default !== undefined ? ` (default ${o.default})` : '';
    const left = `  ${flag}`;
    lines.push(left.length >= 31 ? `${left}\n${' '.repeat(31)}${o.help}${def}` : `${left.padEnd(31)}${o.help}${def}`);
  }
  if (spec.notes?.length) lines.push('', ...spec.notes);
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
