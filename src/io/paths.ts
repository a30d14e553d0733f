// Weight file paths from a manifest: relative, inside the model's folder, nothing else. Checked before
// any file is opened or URL fetched; the handlers check the resolved location again.
import { ModelFormatError } from './errors.js';
import { describe } from './fields.js';

/**
 * The path's segments after a leading './', or a ModelFormatError naming the path: absolute paths,
 * URLs (any scheme), '..', empty segments, backslashes, '%' escapes, '?', '#' and control characters
 * are all refused, so a manifest can only name files in (or below) its own folder.
 */
export function checkWeightPath(p: unknown, where: string): string {
  if (typeof p !== 'string' || p.length === 0 || p.length > 1024) throw new ModelFormatError(`${where} must be a relative file name, got ${describe(p)}`);
  const bad = (why: string) => new ModelFormatError(`${where} ${JSON.stringify(p.slice(0, 200))} ${why}; weight files must be named relative to the model's folder`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\%?#]/.test(p)) throw bad('contains a character that is not allowed (\\, %, ?, # or a control character)');
  if (p.startsWith('/')) throw bad('is absolute');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) throw bad('is a URL or a drive path');
  const segments = p.split('/');
  while (segments.length > 1 && segments[0] === '.') segments.shift();
  for (const s of segments) {
    if (s === '..') throw bad("leaves the model's folder ('..')");
    if (s === '' || s === '.') throw bad('has an empty or "." segment');
  }
  return segments.join('/');
}
