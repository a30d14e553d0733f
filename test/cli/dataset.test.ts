// How the CLI reads CSV bytes: --encoding, byte order marks, and bytes that are not UTF-8, which used
// to become U+FFFD and train silently.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectFileDelimiter, readTable } from '../../src/cli/dataset.js';
import { cli, expectError, inTempDir } from '../helpers/cli.js';

const tmp = inTempDir('deltaflow-dataset-');
const at = (...parts: string[]) => path.join(tmp.dir, ...parts);

/** 60 rows: a, city (bar / café), label = a > 0. */
function rows(): string {
  const lines = ['a,city,label'];
  for (let i = 0; i < 60; i++) {
    const a = Math.sin(i * 1.3).toFixed(3);
    lines.push(`${a},${i % 2 ? 'café' : 'bar'},${Number(a) > 0 ? 1 : 0}`);
  }
  return lines.join('\n') + '\n';
}

function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

beforeAll(() => {
  writeFileSync(at('latin1.csv'), Buffer.from(rows(), 'latin1'));
  writeFileSync(at('utf16.csv'), utf16le(rows()));
  writeFileSync(at('bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows())]));
});

const train = (file: string, ...args: string[]) => cli('train', file, '--target', 'label', '--one-hot', 'city', '--layers', '4', '--epochs', '2', '--seed', '1', '-q', ...args);

function storedCategories(model: string): string[] {
  return JSON.parse(readFileSync(at(model, 'model.json'), 'utf8')).userDefinedMetadata.preprocessing.features[1].categories;
}

describe('deltaflow: CSV encodings', () => {
  it('a Latin-1 file read as UTF-8 is an error naming the line and byte column (it used to train on "caf\\ufffd", exit 0)', async () => {
    expectError(await train('latin1.csv'), 1, /^deltaflow train: latin1\.csv: line 3, byte column 10: byte 0xE9 is not valid UTF-8 \(after "0\.964,caf"\); if the file is not UTF-8, pass --encoding latin1 \(Windows-1252\) or --encoding utf-16le$/);
  });

  it('--encoding latin1 reads it, and evaluate and predict read new files with the training encoding', async () => {
    const r = await train('latin1.csv', '--encoding', 'latin1', '--save', 'm1');
    expect(r.code, r.stderr).toBe(0);
    expect(storedCategories('m1')).toEqual(['bar', 'café']);
    const ev = await cli('evaluate', 'm1', 'latin1.csv', '--json');
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stderr).toBe('');
    expect((await cli('summary', 'm1')).stdout).toMatch(/missing cells: error, encoding latin1\n/);
    expectError(await cli('predict', 'm1', 'latin1.csv', '--encoding', 'utf-8'), 1, /latin1\.csv: line 3, byte column 10: byte 0xE9 is not valid UTF-8/);
  });

  it('a UTF-16 file with its byte order mark trains (it used to fail as "the row has 1 field"); a UTF-8 mark is dropped', async () => {
    const r = await train('utf16.csv', '--save', 'm16');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Read utf16\.csv: 60 rows × 3 columns\n/);
    expect(storedCategories('m16')).toEqual(['bar', 'café']);
    const bom = await train('bom.csv');
    expect(bom.code, bom.stderr).toBe(0);
    expect(bom.stdout).toMatch(/Features \(3 inputs\): a, city \(one-hot, 2\)/);
  });

  it('an unknown --encoding is a usage error listing the choices', async () => {
    expectError(await train('latin1.csv', '--encoding', 'koi8-r'), 2, /^deltaflow train: option --encoding must be one of utf-8, latin1, utf-16le, utf-16be, got 'koi8-r'$/);
  });
});

describe('the delimiter a text model stores, and empty text cells', () => {
  it("detectFileDelimiter finds what 'auto' picks: comma, semicolon, tab, whitespace, in UTF-16 too", async () => {
    const cases: [string, string][] = [['c.csv', 'review,label\n"a, b c",1\nd e,0\n'], ['s.csv', 'review;label\na b;1\n'], ['t.tsv', 'review\tlabel\na b\t1\n'], ['w.txt', '1 2 3\n4 5 6\n']];
    for (const [name, text] of cases) writeFileSync(at(name), text);
    expect(await detectFileDelimiter(at('c.csv'), undefined)).toBe(',');
    expect(await detectFileDelimiter(at('s.csv'), undefined)).toBe(';');
    expect(await detectFileDelimiter(at('t.tsv'), undefined)).toBe('\t');
    expect(await detectFileDelimiter(at('w.txt'), undefined)).toBe('whitespace');
    writeFileSync(at('u16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('review;label\na b;1\n', 'utf16le')]));
    expect(await detectFileDelimiter(at('u16.csv'), undefined)).toBe(';');
  });

  it('readTable keeps an empty cell of the text column as an empty text; a text column the file lacks reads it plainly', async () => {
    writeFileSync(at('gaps.csv'), 'review,label\ngood,1\n,0\n');
    const csv = { delimiter: 'auto', header: 'auto' as const, missing: 'error' };
    const table = await readTable(at('gaps.csv'), csv, 'review');
    expect(table.rows).toBe(2);
    expect(table.categories(0)[table.column(0)[1]]).toBe('');
    await expect(readTable(at('gaps.csv'), csv)).rejects.toThrow(/line 3, column 1 \("review"\): missing value ""; pass --missing drop, mean, median or mode/);
    await expect(readTable(at('gaps.csv'), csv, 'comment')).rejects.toThrow(/missing value ""; pass --missing/);
  });
});
