#!/usr/bin/env node
// The deltaflow command line: deltaflow train | evaluate | predict | summary (deltaflow --help).
// The implementation is src/cli/, compiled to dist/cli/ by `npm run tsbuild`.

// `deltaflow predict … | head` closes stdout early: stop quietly instead of throwing EPIPE.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (e) {
  process.stderr.write(`deltaflow: cannot load dist/cli/main.js (${e.code ?? e.message}); build the package first with npm run build\n`);
  process.exit(1);
}
process.exitCode = await cli.run(process.argv.slice(2));
