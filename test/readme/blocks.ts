// The README's fenced code blocks and what each one is, so test/readme/readme.test.ts can run every one
// as written; a block this file cannot classify is reported, never passed over.

/** One fenced block: its info string split into language and tags, its text and where it starts. */
export interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word ('ts', 'sh', …), '' when there is none. */
  lang: string;
  /** The info string's other words ('browser', 'worker'). */
  tags: string[];
  code: string;
  /** The `<!-- runtime-snippet: RUNTIME FILE -->` right above the block, if any. */
  snippet?: { runtime: string; file: string };
  /** The nearest heading above the block. */
  section: string;
}

/**
 * How the README test checks a block:
 * - node: run in Node against the built package (js/ts, and the Node, Deno and Bun runtime snippets);
 * - browser / workers: type-checked against the package's declarations (they need a page or a Worker);
 * - cli: each `npx deltaflow …` line run through bin/deltaflow.mjs in a scratch folder;
 * - npm: `npm install deltaflow` or the clone's `npm …` commands, checked against package.json;
 * - runtime-file: a non-code file of a runtime snippet (wrangler.toml, index.html), run by npm run test:runtimes;
 * - text: a diagram, nothing to run.
 */
export type Kind = 'node' | 'browser' | 'workers' | 'cli' | 'npm' | 'runtime-file' | 'text';

export type Classified = { kind: Kind; block: Block } | { kind: 'unknown'; block: Block; why: string };

const FENCE = /^(`{3,})\s*(.*)$/;
const SNIPPET = /<!--\s*runtime-snippet:\s*(\S+)\s+(\S+)\s*-->/;

/** Every fenced block of a Markdown text, in order. An unclosed fence is an error naming its line. */
export function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, fence, info] = open;
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence) && l.slice(fence.length).trim() === '');
    if (end < 0) throw new Error(`README.md line ${i + 1}: the code fence ${fence}${info} is never closed`);
    const [lang = '', ...tags] = info.trim().split(/\s+/).filter(Boolean);
    const above = i > 0 ? SNIPPET.exec(lines[i - 1]) : null;
    blocks.push({
      line: i + 1,
      lang: lang.toLowerCase(),
      tags,
      code: lines.slice(i + 1, end).join('\n') + '\n',
      ...(above ? { snippet: { runtime: above[1], file: above[2] } } : {}),
      section,
    });
    i = end;
  }
  return blocks;
}

const CODE = new Set(['js', 'mjs', 'ts', 'mts', 'javascript', 'typescript']);
const SHELL = new Set(['sh', 'shell', 'bash', 'console']);
const NODE_RUNTIMES = new Set(['node', 'deno', 'bun']);
const BROWSER_RUNTIMES = new Set(['bundler', 'browser']);

/** The command lines of a shell block: comments (whole-line and trailing ` # …`) and blank lines dropped. */
export function commandLines(code: string): string[] {
  return code.split('\n').map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter((l) => l !== '');
}

/** Decides what a block is; anything unforeseen is 'unknown' with the reason. */
export function classify(block: Block): Classified {
  const { lang, tags, snippet } = block;
  const unknown = (why: string): Classified => ({ kind: 'unknown', block, why });
  const extra = tags.filter((t) => t !== 'browser' && t !== 'worker');
  if (extra.length) return unknown(`unknown info-string tag ${extra.map((t) => `'${t}'`).join(', ')} (known: browser, worker)`);
  if (lang === 'text') return { kind: 'text', block };
  if (CODE.has(lang)) {
    if (tags.includes('worker') || snippet?.runtime === 'workerd') return { kind: 'workers', block };
    if (tags.includes('browser') || (snippet && BROWSER_RUNTIMES.has(snippet.runtime))) return { kind: 'browser', block };
    if (snippet && !NODE_RUNTIMES.has(snippet.runtime)) return unknown(`runtime snippet '${snippet.runtime}' is neither a Node-like runtime, a browser nor workerd`);
    return { kind: 'node', block };
  }
  if (SHELL.has(lang)) {
    const cmds = commandLines(block.code);
    if (cmds.length === 0) return unknown('an empty shell block');
    if (cmds.every((c) => /^(npx )?deltaflow(\s|$)/.test(c))) return { kind: 'cli', block };
    if (cmds.every((c) => /^npm\s/.test(c))) return { kind: 'npm', block };
    return unknown('a shell block must hold only `npx deltaflow …` lines or only `npm …` lines');
  }
  if ((lang === 'html' || lang === 'toml') && snippet) return { kind: 'runtime-file', block };
  if (lang === '') return unknown('a block without a language (write ```text for a diagram)');
  return unknown(`no rule for \`\`\`${lang}${snippet ? '' : ' outside a runtime snippet'}`);
}

/** The inline `<script type="module">` bodies of an HTML block. */
export function moduleScripts(html: string): string[] {
  return [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

/** The claims a block prints: the text after `// prints ` on each line, in order. */
export function printedClaims(code: string): string[] {
  return [...code.matchAll(/\/\/ prints (.+?)(?:\s+\(.*)?$/gm)].map((m) => m[1].trim());
}

/** Bare module names a JS/TS block imports, other than deltaflow and node: built-ins. */
export function thirdPartyImports(code: string): string[] {
  const names = [...code.matchAll(/\bfrom\s+['"]([^'"./][^'"]*)['"]/g)].map((m) => m[1]);
  const pkg = (n: string) => (n.startsWith('@') ? n.split('/').slice(0, 2).join('/') : n.split('/')[0]);
  return [...new Set(names.filter((n) => !n.startsWith('node:') && pkg(n) !== 'deltaflow').map(pkg))];
}

/** The book's data files a block names (`*.csv` that it reads, not what a `>` writes). */
export function csvInputs(code: string): string[] {
  const written = new Set([...code.matchAll(/>\s*([\w.-]+\.csv)\b/g)].map((m) => m[1]));
  const named = [...code.matchAll(/([\w.-]+\.csv)\b/g)].map((m) => m[1]);
  return [...new Set(named.filter((n) => !written.has(n)))];
}
