// Loss and metric values keyed as Keras keys them ('loss', 'accuracy', 'val_loss'): what epochs, batches and evaluate() report.
/** Loss and metric values by Keras's keys ('loss', 'accuracy', 'val_loss'): what epochs, batches and `evaluate()` report. */
export type Logs = Record<string, number>;
