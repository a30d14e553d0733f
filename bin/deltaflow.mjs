#!/usr/bin/env node
// The deltaflow command line: deltaflow train | evaluate | predict | summary (deltaflow --help).
// The implementation is src/cli/, compiled to dist/cli/ by `npm run tsbuild`. A stdout closed early
// (`deltaflow predict … | head`) is handled there: the output stops, the command finishes its work.

let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (e) {
  process.stderr.write(`deltaflow: cannot load dist/cli/main.js (${e.code ?? e.message}); build the package first with npm run build\n`);
  process.exit(1);
}
process.exitCode = await cli.run(process.argv.slice(2));
