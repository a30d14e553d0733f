import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import { writeFileAtomic } from '../../src/cli/files.js';
import { inTempDir } from '../helpers/cli.js';

const tmp = inTempDir('deltaflow-files-');

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one whole, leaving no temporary behind', async () => {
    const file = path.join(tmp.dir, 'curves.svg');
    await writeFileAtomic(file, '<svg>1</svg>', '--plot');
    writeFileSync(file, 'old contents that are longer than the new ones');
    await writeFileAtomic(file, '<svg>2</svg>', '--plot');
    expect(readFileSync(file, 'utf8')).toBe('<svg>2</svg>');
    expect(readdirSync(tmp.dir)).toEqual(['curves.svg']);
  });

  it('a failure names the option and the file, and leaves neither a temporary nor a partial file', async () => {
    const missing = path.join(tmp.dir, 'no-such-folder', 'p.csv');
    await expect(writeFileAtomic(missing, 'x', '--out')).rejects.toThrow(new CliError(`--out ${missing}: ENOENT`));
    mkdirSync(path.join(tmp.dir, 'a-folder'));
    await expect(writeFileAtomic(path.join(tmp.dir, 'a-folder'), 'x', '--plot')).rejects.toThrow(/^--plot .*a-folder: EISDIR$/);
    expect(readdirSync(tmp.dir).sort()).toEqual(['a-folder', 'curves.svg']);
    expect(readdirSync(path.join(tmp.dir, 'a-folder'))).toEqual([]);
  });
});
