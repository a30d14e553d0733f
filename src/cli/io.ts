// Where the CLI's output goes: an interface the commands write through (tests pass their own), and the
// process's stdout and stderr behind it.

export interface CliIO {
  /** A line of normal output (stdout). */
  print(line: string): void;
  /** Raw text to stdout (predictions). */
  write(text: string): void;
  /** A line of diagnostics (stderr). */
  warn(line: string): void;
  /** stdout is a terminal, where train's progress bar may redraw in place (the engine draws it on process.stdout). */
  live?: boolean;
}

/** stdout and stderr of this process. */
export function processIO(): CliIO {
  return {
    print: (line) => void process.stdout.write(line + '\n'),
    write: (text) => void process.stdout.write(text),
    warn: (line) => void process.stderr.write(line + '\n'),
    live: process.stdout.isTTY === true,
  };
}
