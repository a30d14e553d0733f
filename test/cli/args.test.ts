import { describe, expect, it } from 'vitest';
import { parseArgs, type CommandSpec } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/errors.js';
import { evaluateSpec } from '../../src/cli/commands/evaluate.js';
import { predictSpec } from '../../src/cli/commands/predict.js';
import { trainSpec } from '../../src/cli/commands/train.js';

const spec: CommandSpec = {
  name: 'test',
  summary: '',
  positionals: [],
  options: [
    { name: 'count', kind: 'integer', min: 1, help: '' },
    { name: 'seed', kind: 'integer', min: 0, max: 0xffffffff, help: '' },
    { name: 'sizes', kind: 'integers', min: 1, help: '' },
  ],
};

function usage(argv: string[]): string {
  try {
    parseArgs(spec, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseArgs: integer options', () => {
  it('are safe integers no larger than 2^31 − 1 unless the option says otherwise', () => {
    expect(parseArgs(spec, ['--count', '2147483647']).options.count).toBe(2147483647);
    expect(usage(['--count', '2147483648'])).toBe("option --count must be ≤ 2147483647, got '2147483648'");
    expect(usage(['--count', '4294967297'])).toBe("option --count must be ≤ 2147483647, got '4294967297'");
    expect(usage(['--count', '1e300'])).toBe("option --count must be ≤ 2147483647, got '1e300'");
    expect(usage(['--count', '9007199254740993'])).toBe("option --count must be ≤ 2147483647, got '9007199254740993'");
    expect(usage(['--sizes', '3,2147483648'])).toBe("option --sizes must be ≤ 2147483647, got '3,2147483648'");
    expect(usage(['--count', '-3'])).toBe("option --count must be ≥ 1, got '-3'");
  });

  it('a seed is any integer in [0, 2^32)', () => {
    expect(parseArgs(spec, ['--seed', '4294967295']).options.seed).toBe(4294967295);
    expect(usage(['--seed', '4294967296'])).toBe("option --seed must be ≤ 4294967295, got '4294967296'");
    expect(usage(['--seed', '-1'])).toBe("option --seed must be ≥ 0, got '-1'");
  });

  it("every command's integer options are bounded", () => {
    for (const s of [trainSpec, evaluateSpec, predictSpec]) {
      for (const o of s.options.filter((o) => o.kind === 'integer' || o.kind === 'integers')) {
        expect(() => parseArgs(s, ['x', ...(s.positionals.length > 1 ? ['y'] : []), `--${o.name}`, '4294967297']), `${s.name} --${o.name}`).toThrow(UsageError);
      }
    }
  });
});
