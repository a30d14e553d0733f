// Where the CLI's output goes: an interface the commands write through (tests pass their own), and the
// process's stdout and stderr behind it. A reader that goes away (`deltaflow train … | head -1`) closes
// the pipe; that ends the output only: later writes are dropped and the command finishes its work.

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

let shared: CliIO | undefined;

/** stdout and stderr of this process; made once, so repeated run() calls add no listeners. */
export function processIO(): CliIO {
  if (shared) return shared;
  const out = guarded(process.stdout);
  const err = guarded(process.stderr);
  shared = {
    print: (line) => out(line + '\n'),
    write: (text) => out(text),
    warn: (line) => err(line + '\n'),
    live: process.stdout.isTTY === true,
  };
  return shared;
}

/** A writer that stops at the stream's first error (EPIPE: the reader left) instead of crashing or exiting. */
function guarded(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', () => {
    closed = true;
  });
  return (text) => {
    if (closed || stream.destroyed) return;
    stream.write(text);
  };
}
