import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/train/progress.js';

function capture(live: boolean) {
  const out: string[] = [];
  return { out, sink: { live, write: (s: string) => void out.push(s), line: (s: string) => void out.push(s + '\n') } };
}

describe('Progress', () => {
  it('prints one plain line per epoch when not a terminal', () => {
    const { out, sink } = capture(false);
    const p = new Progress(2, 10, 1, sink);
    expect(p.live).toBe(false);
    p.epochBegin(0);
    p.update(5, { loss: 0.5 });
    p.epochEnd(0, { loss: 0.25, accuracy: 0.75, val_loss: 0.3 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^Epoch 1\/2 - 10\/10 \d+s \d+(ms|us)\/step - loss: 0\.2500 - accuracy: 0\.7500 - val_loss: 0\.3000\n$/);
  });

  it('redraws a bar in a terminal and ends the epoch with a full one', () => {
    const { out, sink } = capture(true);
    const p = new Progress(3, 4, 1, sink);
    expect(p.live).toBe(true);
    p.epochBegin(1);
    p.update(4, { loss: 1 });
    p.epochEnd(1, { loss: 0.5 });
    expect(out[0]).toBe('Epoch 2/3\n');
    expect(out[1]).toMatch(/^\r4\/4 ━{20} /);
    expect(out.at(-1)).toMatch(/^\r4\/4 ━{20} \d+s .*loss: 0\.5000\x1b\[K\n$/);
  });

  it('verbose 2 prints one line per epoch even in a terminal', () => {
    const { out, sink } = capture(true);
    const p = new Progress(1, 3, 2, sink);
    expect(p.live).toBe(false);
    p.epochBegin(0);
    p.epochEnd(0, { loss: 2 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^Epoch 1\/1 - 3\/3 /);
  });
});

describe('Progress with verbose 0', () => {
  it('prints nothing', () => {
    const { out, sink } = capture(true);
    const p = new Progress(1, 3, 0, sink);
    p.epochBegin(0);
    p.update(3, { loss: 1 });
    p.epochEnd(0, { loss: 1 });
    expect(out).toEqual([]);
  });
});
