// Installed version of a package, read from its package.json (exports maps may hide it from require).
import fs from 'node:fs';

const root = new URL('../../', import.meta.url);

export function versionOf(pkg) {
  const file = pkg === 'deltaflow' ? new URL('package.json', root) : new URL(`node_modules/${pkg}/package.json`, root);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    return 'not installed';
  }
}
