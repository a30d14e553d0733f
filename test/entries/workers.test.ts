// The Workers entry: edge runtimes have no shared-memory workers, so setThreads says so once and trains
// on one thread; a bad count is still an error.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getThreads, setThreads } from '../../src/entries/workers.js';

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

describe('deltaflow/workers setThreads', () => {
  it('resolves to 1 with one warning that names the reason', async () => {
    expect(await setThreads(1)).toBe(1);
    expect(warn).not.toHaveBeenCalled();
    expect(await setThreads(2)).toBe(1);
    expect(await setThreads('auto')).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/no shared-memory worker threads; training runs on one thread/);
    expect(getThreads()).toBe(1);
  });

  it.each([0, 1.5, -1, 257, Number.NaN])('rejects %s threads', async (n) => {
    await expect(setThreads(n)).rejects.toThrow(/threads must be an integer from 1 to 256 or 'auto', got/);
  });
});
