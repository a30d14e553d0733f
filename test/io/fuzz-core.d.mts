import type * as df from '../../src/index.js';

export function createRng(seed: number): () => number;
export function makeCorpus(lib: typeof df): Promise<{ name: string; json: unknown; files: Record<string, Uint8Array> }[]>;
export function makeCase(lib: typeof df, corpus: unknown[], seed: number, i: number): { handler: df.IOHandler; options: df.LoadOptions; base: string };
export function runCampaign(
  lib: typeof df,
  options: {
    seed: number;
    from?: number;
    to: number;
    maxMs?: number;
    memory?: () => number;
    maxGrowth?: number;
    maxFailures?: number;
    onProgress?: (done: number, counts: { loaded: number; rejected: number }) => void;
  },
): Promise<{
  counts: { loaded: number; rejected: number };
  failures: { seed: number; case: number; base: string; error: string }[];
  slowest: number;
  messages: Map<string, number>;
  corpus: string[];
}>;
