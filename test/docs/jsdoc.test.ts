// Every public name of the package has a JSDoc comment, so the API reference (npm run docs) and editors
// explain each option and member; a new export or member without one fails here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { undocumented } from './jsdoc.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = ['src/index.ts', 'src/core.ts', 'src/io/index.ts', 'src/data/index.ts', 'src/plot/index.ts', 'src/text/index.ts'];

function program(files: Record<string, string> | undefined, entries: string[]): ts.Program {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [] };
  if (!files) return ts.createProgram(entries, options);
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => files[f] ?? read(f);
  host.fileExists = (f) => f in files || ts.sys.fileExists(f);
  return ts.createProgram(entries, options, host);
}

describe('undocumented', () => {
  it('finds exports, class and interface members and factory properties without a comment, and nothing else', () => {
    const src = `/** A documented class. */
export class A {
  /** Yes. */
  x = 1;
  y = 2;
  private z = 3;
  /** @internal */
  w = 4;
}
export interface Options {
  /** Yes. */
  a?: number;
  b?: string;
}
/** Documented. */
export function f(): void {}
function g(): void {}
export const table = {
  f,
  g,
  /** Yes. */
  h: 1,
  k: 2,
};
interface Iface {
  /** Runs. */
  run(): void;
}
/** B implements a documented member. */
export class B implements Iface {
  run(): void {}
}
`;
    const file = path.join(root, '__fixture__.ts');
    const r = undocumented(program({ [file]: src }, [file]), [file]);
    expect(r.missing.map((m) => m.name).sort()).toEqual(['A.y', 'Options', 'Options.b', 'table', 'table.g', 'table.k']);
    expect(r.checked).toBe(14);
  });
});

describe('the public API', () => {
  const entries = ENTRIES.map((e) => path.join(root, e));
  const { checked, missing } = undocumented(program(undefined, entries), entries);
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');

  it('documents every export and member', () => {
    expect(checked).toBeGreaterThan(800);
    const out = missing.map((m) => `${m.name} (${rel(m.file)}:${m.line})`);
    expect(out, 'add a one-line /** … */ to each').toEqual([]);
  });
});
