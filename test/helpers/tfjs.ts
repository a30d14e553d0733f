// The TensorFlow.js peer for parity tests: its cpu backend, with the tfjs-node banner it prints on the
// first tensor filtered out of console.warn (every other warning still shows).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, vi } from 'vitest';
import * as df from '../../src/index.js';

/** Registers beforeAll/afterAll hooks that ready tfjs (cpu) and deltaflow for this test file. */
export function useTfjsPeer(): void {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    const original = console.warn.bind(console);
    warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!args.some((a) => typeof a === 'string' && a.includes('tfjs-node'))) original(...args);
    });
    await tf.setBackend('cpu');
    await tf.ready();
    await df.ready();
  });
  afterAll(() => warn.mockRestore());
}
