// History: what fit() resolves to, Keras-shaped: one array per logged key, one value per epoch.

export class History {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
