// Every code block of README.md runs as written: JS/TS in Node against the built package (imported by
// its name, as a user does) and type-checked; `deltaflow …` commands through bin/deltaflow.mjs on the
// book's files; browser and Workers code through the type checker; npm commands against package.json.
// A block the test cannot classify fails it, so a new kind of block needs a rule here first.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file as datasetFile, has } from '../books/helpers.js';
import { classify, commandLines, csvInputs, extractBlocks, moduleScripts, printedClaims, thirdPartyImports, type Block } from './blocks.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; scripts: Record<string, string> };
const classified = extractBlocks(readme).map(classify);
const of = (kind: string) => classified.filter((c) => c.kind === kind).map((c) => c.block);
const where = (b: Block) => `line ${b.line} (${b.section}${b.snippet ? `, ${b.snippet.runtime} ${b.snippet.file}` : ''})`;
const isTs = (b: Block) => b.lang === 'ts' || b.lang === 'mts' || b.lang === 'typescript';

// The package as a user's node_modules holds it: deltaflow itself, plus what a block says to install.
const scratch = mkdtempSync(path.join(tmpdir(), 'deltaflow-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function project(name: string, code: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  symlinkSync(root, path.join(dir, 'node_modules', pkg.name), 'dir');
  for (const dep of thirdPartyImports(code)) {
    const installed = path.join(root, 'node_modules', dep);
    if (!existsSync(installed)) throw new Error(`the block imports '${dep}', which is not installed here: add it to devDependencies or drop it from the README`);
    mkdirSync(path.dirname(path.join(dir, 'node_modules', dep)), { recursive: true });
    symlinkSync(installed, path.join(dir, 'node_modules', dep), 'dir');
  }
  return dir;
}

/** Copies the book's files a block reads into `dir`; the reason to skip when one is absent. */
function provideData(dir: string, code: string): string | undefined {
  for (const name of csvInputs(code)) {
    if (!has(name)) return `needs ${name} from ../shared/datasets, which is absent`;
    copyFileSync(datasetFile(name), path.join(dir, name));
  }
  return undefined;
}

describe('README.md', () => {
  it('has only blocks this test knows how to check', () => {
    const unknown = classified.flatMap((c) => (c.kind === 'unknown' ? [`${where(c.block)}: ${c.why}`] : []));
    expect(unknown).toEqual([]);
  });

  it('starts with what deltaflow is, how to install it and a model that learns; the clone commands come last', () => {
    const blocks = classified.map((c) => c.block);
    expect(blocks[0].code.trim()).toBe(`npm install ${pkg.name}`);
    expect(blocks[1].section).toBe('Ten lines');
    expect(printedClaims(blocks[1].code)).not.toEqual([]);
    const clone = blocks.filter((b) => b.section === 'Working in a clone');
    expect(clone.map((b) => b.code).join('')).toMatch(/npm test/);
    expect(readme.indexOf('## Working in a clone')).toBeGreaterThan(readme.indexOf('## Ten lines'));
  });

  it('runs its JS and TS from the built package', () => {
    const entry = path.join(root, 'dist/bundles/node/deltaflow.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: npm run build makes it (npm install runs it)`);
  });
});

describe.each(of('node'))('README block at $line ($section) in Node', (block) => {
  it('runs and prints what it claims', async (ctx) => {
    const dir = project(`node-${block.line}`, block.code);
    const skip = provideData(dir, block.code);
    if (skip) return ctx.skip(skip);
    const js = isTs(block) ? ts.transpileModule(block.code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText : block.code;
    writeFileSync(path.join(dir, 'main.mjs'), js);
    const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: dir, timeout: 60_000, maxBuffer: 1 << 24 }).catch((e: Error & { stderr?: string }) => {
      throw new Error(`README ${where(block)} failed: ${e.stderr || e.message}`);
    });
    const printed = stdout.split('\n').map((l) => l.trim());
    let from = 0;
    for (const claim of printedClaims(block.code)) {
      const at = printed.indexOf(claim, from);
      expect(at, `README ${where(block)} claims it prints ${claim}; it printed:\n${stdout}`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
  });
});

describe.each(of('cli'))('README block at $line ($section): deltaflow commands', (block) => {
  it('each command succeeds, in order, in one folder', async (ctx) => {
    const dir = project(`cli-${block.line}`, '');
    const skip = provideData(dir, block.code);
    if (skip) return ctx.skip(skip);
    const bin = JSON.stringify(path.join(root, 'bin/deltaflow.mjs'));
    for (const cmd of commandLines(block.code)) {
      const line = cmd.replace(/^(npx )?deltaflow/, `${JSON.stringify(process.execPath)} ${bin}`);
      await run('sh', ['-c', line], { cwd: dir, timeout: 60_000, maxBuffer: 1 << 24 }).catch((e: Error & { stderr?: string }) => {
        throw new Error(`README ${where(block)}: \`${cmd}\` failed: ${e.stderr || e.message}`);
      });
    }
  });
});

describe.each(of('npm'))('README block at $line ($section): npm commands', (block) => {
  it('installs this package or runs scripts package.json has', () => {
    for (const cmd of commandLines(block.code).flatMap((l) => l.split('&&')).map((c) => c.trim())) {
      const words = cmd.split(/\s+/);
      if (words[1] === 'install' || words[1] === 'i' || words[1] === 'ci') {
        expect(words.slice(2).filter((w) => !w.startsWith('-')), `README ${where(block)}: \`${cmd}\``).toEqual(words.length > 2 ? [pkg.name] : []);
      } else if (words[1] === 'test') {
        expect(pkg.scripts.test, `README ${where(block)}: \`${cmd}\` needs a test script`).toBeTruthy();
      } else if (words[1] === 'run') {
        expect(pkg.scripts[words[2]], `README ${where(block)}: \`${cmd}\` names no script of package.json`).toBeTruthy();
      } else {
        throw new Error(`README ${where(block)}: no rule for \`${cmd}\``);
      }
    }
  });
});

describe.each(of('runtime-file'))('README block at $line ($section): a runtime snippet file', (block) => {
  it('names only files its runtime snippet has', () => {
    const runtime = block.snippet!.runtime;
    const files = classified.filter((c) => c.block.snippet?.runtime === runtime).map((c) => c.block.snippet!.file);
    const named = block.lang === 'toml'
      ? [...block.code.matchAll(/^main\s*=\s*"([^"]+)"/gm)].map((m) => m[1])
      : [...block.code.matchAll(/<script[^>]*\ssrc="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(named.length + moduleScripts(block.code).length, `README ${where(block)} names no code to run`).toBeGreaterThan(0);
    for (const f of named) expect(files, `README ${where(block)} names ${f}`).toContain(f);
  });
});

// One type-check for all JS and TS blocks: TS strictly, JS as an editor checks it (checkJs, not strict).
// The plain page's script imports the single-file build copied next to it: its types are deltaflow/inline's.
interface Checked { block: Block; file: string }
const checked: Checked[] = [];
const diagnostics = new Map<string, string[]>();

beforeAll(() => {
  // The packages every checked block imports (the bundler section's esbuild build script too).
  const dir = project('types', [...of('node'), ...of('browser'), ...of('workers')].map((b) => b.code).join('\n'));
  writeFileSync(path.join(dir, 'deltaflow.inline.d.ts'), "export * from 'deltaflow/inline';\n");
  for (const c of classified) {
    const b = c.block;
    if (c.kind === 'node' || c.kind === 'browser' || c.kind === 'workers') {
      const file = path.join(dir, `b${b.line}.${isTs(b) ? 'ts' : 'js'}`);
      writeFileSync(file, b.code);
      checked.push({ block: b, file });
    } else if (c.kind === 'runtime-file' && b.lang === 'html') {
      moduleScripts(b.code).forEach((code, i) => {
        const file = path.join(dir, `b${b.line}-${i}.js`);
        writeFileSync(file, code);
        checked.push({ block: b, file });
      });
    }
  }
  const cache = new Map<string, ts.SourceFile | undefined>();
  const check = (files: string[], strict: boolean) => {
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: ['node'], typeRoots: [path.join(root, 'node_modules/@types')],
      strict, allowJs: true, checkJs: true, noEmit: true, skipLibCheck: true, esModuleInterop: true,
    };
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => {
      if (!name.startsWith(dir) && cache.has(name)) return cache.get(name);
      const sf = read(name, lang, ...rest);
      if (!name.startsWith(dir)) cache.set(name, sf);
      return sf;
    };
    const program = ts.createProgram(files, options, host);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const name = d.file?.fileName ?? '(global)';
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const text = `TS${d.code} ${pos ? `${pos.line + 1}:${pos.character + 1} ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      diagnostics.set(name, [...(diagnostics.get(name) ?? []), text]);
    }
  };
  check(checked.filter((c) => c.file.endsWith('.ts')).map((c) => c.file), true);
  check(checked.filter((c) => c.file.endsWith('.js')).map((c) => c.file), false);
  expect(diagnostics.get('(global)') ?? []).toEqual([]);
}, 120_000);

describe('README code type-checks against the package declarations', () => {
  it.for(classified.filter((c) => c.kind === 'node' || c.kind === 'browser' || c.kind === 'workers' || (c.kind === 'runtime-file' && c.block.lang === 'html')).map((c) => c.block))(
    'block at line $line ($section)',
    (block) => {
      const errors = checked.filter((c) => c.block === block).flatMap((c) => diagnostics.get(c.file) ?? []);
      expect(errors, `README ${where(block)}`).toEqual([]);
    },
  );
});
