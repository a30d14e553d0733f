// The `deltaflow` command: train, evaluate, predict and summary. bin/deltaflow.mjs calls run() with
// the arguments and exits with the code it returns. Errors are one line on stderr (the stack only
// with --debug); exit code 1 for a failure, 2 for a bad command line.
import * as fs from 'node:fs';
import { helpText, parseArgs, type CommandSpec, type Parsed } from './args.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE, oneLine } from './errors.js';
import { evaluate, evaluateSpec } from './commands/evaluate.js';
import { predict, predictSpec } from './commands/predict.js';
import { summary, summarySpec } from './commands/summary.js';
import { train, trainSpec } from './commands/train.js';
import { processIO, type CliIO } from './io.js';

export type { CliIO } from './io.js';

interface Command {
  spec: CommandSpec;
  run(p: Parsed, io: CliIO): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  train: { spec: trainSpec, run: (p, io) => train(p, io) },
  evaluate: { spec: evaluateSpec, run: (p, io) => evaluate(p, io.print, io.warn) },
  predict: { spec: predictSpec, run: (p, io) => predict(p, io.write, io.warn) },
  summary: { spec: summarySpec, run: (p, io) => summary(p, io.print) },
};

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 4;
  return [
    'Usage: deltaflow <command> [arguments] [options]',
    '',
    'Neural networks on CSV files (numeric, categorical or free-text columns), trained in WebAssembly.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.spec.summary}`),
    '',
    'Run deltaflow <command> --help for its options. deltaflow --version prints the version.',
    '',
    'Examples:',
    '  deltaflow train pima.csv --target 8 --layers 12,8 --epochs 200 --batch-size 10 --save pima-model',
    '  deltaflow evaluate pima-model/ pima.csv',
    '  deltaflow predict pima-model/ new-rows.csv > predictions.csv',
    '  deltaflow summary pima-model/',
    '  deltaflow train reviews.csv --target label --text review --epochs 30 --save review-model',
    '  deltaflow predict review-model/ new-reviews.csv --keep review',
  ].join('\n');
}

/**
 * Runs the CLI with `argv` (without node and the script); resolves to the exit code. All output goes
 * through `io` (default: this process's stdout and stderr); nothing here exits the process.
 */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.warn(`deltaflow: no command given; use one of ${Object.keys(COMMANDS).join(', ')} (deltaflow --help for details)`);
      return EXIT_USAGE;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = rest.find((a) => !a.startsWith('-'));
      io.print(topic && COMMANDS[topic] ? helpText(COMMANDS[topic].spec) : mainHelp());
      return 0;
    }
    if (name === '--version' || name === '-v' || name === 'version') {
      io.print(version());
      return 0;
    }
    const command = COMMANDS[name];
    if (!command) {
      const what = name.startsWith('-') ? `option ${name} before a command` : `unknown command '${name}'`;
      io.warn(`deltaflow: ${what}; use one of ${Object.keys(COMMANDS).join(', ')} (deltaflow --help for details)`);
      return EXIT_USAGE;
    }
    const parsed = parseArgs(command.spec, rest);
    if (parsed.help) {
      io.print(helpText(command.spec));
      return 0;
    }
    await command.run(parsed, io);
    return 0;
  } catch (e) {
    io.warn(`${COMMANDS[name!] ? `deltaflow ${name}` : 'deltaflow'}: ${oneLine(e)}`);
    if (debug && e instanceof Error && e.stack) io.warn(e.stack);
    return e instanceof CliError ? e.exitCode : EXIT_FAILURE;
  }
}
