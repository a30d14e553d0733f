// A cancellable training loop for a worker: runs tick() repeatedly, yielding to the message queue
// between ticks so that pause, reset and new settings arrive promptly. tick() returning false ends it.

export class Loop {
  private generation = 0;
  private current: Promise<unknown> = Promise.resolve();
  running = false;

  constructor(
    private readonly tick: () => boolean | void | Promise<boolean | void>,
    private readonly onStop: () => void = () => {},
    private readonly delayMs = 0,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.go(++this.generation);
  }

  stop(): void {
    this.running = false;
    this.generation++;
  }

  /** Resolves once the tick in progress (if any) has returned. */
  idle(): Promise<void> {
    return this.current.then(() => undefined);
  }

  private async go(gen: number): Promise<void> {
    // A tick of an earlier run may still be finishing (a paused epoch): never run two at once.
    await this.current;
    while (gen === this.generation) {
      const tick = this.tick();
      this.current = Promise.resolve(tick).catch(() => undefined);
      const more = await tick;
      if (gen !== this.generation) return;
      if (more === false) {
        this.running = false;
        this.generation++;
        this.onStop();
        return;
      }
      await new Promise((r) => setTimeout(r, this.delayMs));
    }
  }
}

/** Yields to the worker's message queue at most every `ms` (for use inside long fit() calls). */
export function yielder(ms = 50): () => Promise<void> | void {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < ms) return;
    last = now;
    return new Promise((r) => setTimeout(r, 0));
  };
}
