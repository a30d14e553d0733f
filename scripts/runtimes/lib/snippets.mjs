// The README's runtime snippets: each fenced block right after a `<!-- runtime-snippet: RUNTIME FILE -->`
// line, so what the README shows is exactly what the matrix runs.
import { readFile } from 'node:fs/promises';

export async function readSnippets(readmePath) {
  const text = await readFile(readmePath, 'utf8');
  const re = /<!--\s*runtime-snippet:\s*(\S+)\s+(\S+)\s*-->\s*\n```[^\n]*\n([\s\S]*?)\n```/g;
  const out = {};
  for (const m of text.matchAll(re)) {
    const [, runtime, file, code] = m;
    (out[runtime] ??= {})[file] = code + '\n';
  }
  return out;
}

/** Numbers printed by a snippet (console.log of an array, or text), as doubles. */
export function numbersIn(text) {
  // eslint-disable-next-line no-control-regex
  const plain = String(text).replace(/\u001b\[[0-9;]*m/g, '');
  return (plain.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi) ?? []).map(Number);
}
