// The CLI's two kinds of failure: a usage error (bad arguments, exit code 2) and any other error
// (a missing file, a bad column, a model that will not load: exit code 1). Both print one line.

/** Exit code for a failure that is not about the command line (missing file, bad data, …). */
export const EXIT_FAILURE = 1;
/** Exit code for a bad command line (unknown option, missing or malformed value). */
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A problem with the command line itself. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** An error's message as one line (a library message may span several). */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s*\n\s*/g, ' ').trim() || (e instanceof Error ? e.name : 'unknown error');
}
