// Files the CLI writes (--plot, predict --out): written under a temporary name beside the target and
// renamed over it, so an interrupted run leaves the old file or none, never an empty or partial one.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { CliError } from './errors.js';

/** Writes `text` to `file` atomically; a failure is a CliError naming `what` (the option) and the file. */
export async function writeFileAtomic(file: string, text: string, what: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.unlink(tmp).catch(() => undefined);
    throw new CliError(`${what} ${file}: ${(e as { code?: string }).code ?? (e as Error).message}`);
  }
}
