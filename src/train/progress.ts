// verbose: 1 — a Keras 3 style progress bar that redraws during the epoch in a terminal, and one
// plain line per epoch elsewhere (pipes, CI logs, browsers); verbose: 2 — one line per epoch always.
import type { Logs } from './logs.js';

const BAR = 20;

interface Out {
  live: boolean;
  write(text: string): void;
  line(text: string): void;
}

function terminal(): Out {
  const stdout = (globalThis as { process?: { stdout?: { isTTY?: boolean; write(s: string): unknown } } }).process?.stdout;
  if (stdout?.write) {
    return { live: !!stdout.isTTY, write: (s) => void stdout.write(s), line: (s) => void stdout.write(s + '\n') };
  }
  return { live: false, write: () => {}, line: (s) => console.log(s) };
}

export class Progress {
  private readonly out: Out;
  private readonly silent: boolean;
  private start = 0;
  private lastDraw = 0;

  constructor(
    private readonly epochs: number,
    private readonly steps: number,
    verbose: number,
    out: Out = terminal(),
  ) {
    this.out = { ...out, live: out.live && verbose === 1 };
    this.silent = verbose === 0;
  }

  /** True when the bar redraws during an epoch, so fit() should report batches as they finish. */
  get live(): boolean {
    return this.out.live;
  }

  epochBegin(epoch: number): void {
    this.start = now();
    this.lastDraw = 0;
    if (this.out.live) this.out.line(`Epoch ${epoch + 1}/${this.epochs}`);
  }

  /** Redraws the bar after `done` batches (at most ten times a second). */
  update(done: number, logs: Logs): void {
    if (!this.out.live) return;
    const t = now();
    if (done < this.steps && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.out.write('\r' + this.bar(done, t, logs) + '\x1b[K');
  }

  epochEnd(epoch: number, logs: Logs): void {
    if (this.silent) return;
    const t = now();
    if (this.out.live) this.out.write('\r' + this.bar(this.steps, t, logs) + '\x1b[K\n');
    else this.out.line(`Epoch ${epoch + 1}/${this.epochs} - ${this.bar(this.steps, t, logs, false)}`);
  }

  private bar(done: number, t: number, logs: Logs, drawBar = true): string {
    const elapsed = (t - this.start) / 1000;
    const filled = Math.round((BAR * done) / Math.max(1, this.steps));
    const width = String(this.steps).length;
    const head = `${String(done).padStart(width)}/${this.steps}`;
    const bar = drawBar ? ' ' + '━'.repeat(filled) + '─'.repeat(BAR - filled) : '';
    const perStep = done > 0 ? elapsed / done : 0;
    const timing = `${Math.round(elapsed)}s ${perStep >= 1e-3 ? `${Math.round(perStep * 1e3)}ms` : `${Math.round(perStep * 1e6)}us`}/step`;
    const values = Object.entries(logs).map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
    return `${head}${bar} ${timing}${values}`;
  }
}

function formatValue(v: number): string {
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4);
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
