// ModelFormatError: what every malformed model file, manifest or artifacts object gets from the loader.

/** A model that cannot be loaded as written: the message names the file, field or weight and the problem. */
export class ModelFormatError extends Error {
  /** Always 'ModelFormatError', so `err.name` tells it from other errors. */
  override readonly name = 'ModelFormatError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A reader's signal (never seen by users) that a save replaced the files while it read them: the loader
 * reads the model again.
 */
export class ChangedWhileReading extends Error {
  override readonly name = 'ChangedWhileReading';
  constructor(readonly where: string) {
    super(`${where} was replaced by a save while being read`);
  }
}

/** Throws a ModelFormatError unless `ok`. */
export function check(ok: unknown, message: string | (() => string)): asserts ok {
  if (!ok) throw new ModelFormatError(typeof message === 'string' ? message : message());
}

/** Runs `body`, re-throwing anything but a ModelFormatError as one prefixed with `what`. */
export function wrap<T>(what: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw asFormatError(what, e);
  }
}

export async function wrapAsync<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    throw asFormatError(what, e);
  }
}

export function asFormatError(what: string, e: unknown): ModelFormatError {
  if (e instanceof ModelFormatError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ModelFormatError(`${what}: ${message}`, { cause: e });
}
