// History: what fit() resolves to, Keras-shaped: one array per logged key, one value per epoch.

/** What `fit` resolves to: the logged values of every epoch, as Keras's History. */
export class History {
  /** The epoch numbers trained, from initialEpoch. */
  readonly epoch: number[] = [];
  /** One array per logged key ('loss', 'accuracy', 'val_loss', …), one value per epoch. */
  readonly history: Record<string, number[]> = {};

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
