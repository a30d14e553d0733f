// model.summary(): the Keras 3 table of layers, output shapes and parameter counts.
import type { Layer } from './layer.js';

const WIDTHS = [33, 24, 15];

export function summarize(name: string, layers: readonly Layer[], inShape: number[] | undefined): string {
  const rows: string[][] = [];
  let shape = inShape;
  let trainable = 0;
  let fixed = 0;
  for (const l of layers) {
    // Parameters are known once the input shape is; a layer that owns none has 0 either way.
    const weights = shape === undefined ? undefined : l.plan(shape).weights;
    const count = (t: boolean) => weights?.filter((w) => (w.trainable ?? true) === t).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0) ?? 0;
    trainable += count(true);
    fixed += count(false);
    const out = shape && l.computeOutputShape(shape);
    const params = weights === undefined ? '0 (unbuilt)' : (count(true) + count(false)).toLocaleString('en-US');
    rows.push([`${l.name} (${l.className})`, out ? `(None, ${out.join(', ')})` : '(None, ?)', params]);
    shape = out;
  }
  const line = (l: string, m: string, r: string, fill: string) => l + WIDTHS.map((w) => fill.repeat(w)).join(m) + r;
  const cells = (c: string[]) =>
    '│' + c.map((s, i) => ' ' + (i === 2 ? s.padStart(WIDTHS[i] - 2) : s.padEnd(WIDTHS[i] - 2)) + ' ').join('│') + '│';
  const out = [
    `Model: "${name}"`,
    line('┏', '┳', '┓', '━'),
    '┃' + ['Layer (type)', 'Output Shape', 'Param #'].map((s, i) => ' ' + (i === 2 ? s.padStart(WIDTHS[i] - 2) : s.padEnd(WIDTHS[i] - 2)) + ' ').join('┃') + '┃',
    line('┡', '╇', '┩', '━'),
  ];
  rows.forEach((r, i) => {
    // Keras wraps a cell that does not fit its column onto more lines.
    const wrapped = r.map((c, k) => wrap(c, WIDTHS[k] - 2));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let j = 0; j < height; j++) out.push(cells(wrapped.map((w) => w[j] ?? '')));
    if (i < rows.length - 1) out.push(line('├', '┼', '┤', '─'));
  });
  out.push(line('└', '┴', '┘', '─'));
  const size = (n: number) => `${n.toLocaleString('en-US')} (${bytes(n * 4)})`;
  out.push(` Total params: ${size(trainable + fixed)}`, ` Trainable params: ${size(trainable)}`, ` Non-trainable params: ${size(fixed)}`);
  return out.join('\n');
}

// Keras prints sizes as 132.00 B, 3.14 KB, 1.20 MB.
function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(2)} ${units[i]}`;
}

/** Lines of at most `width` characters, broken at spaces where possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) line = next;
    else {
      if (line) lines.push(line);
      let rest = word;
      while (rest.length > width) {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      line = rest;
    }
  }
  lines.push(line);
  return lines;
}
