#!/usr/bin/env node
// The deltaflow command line: deltaflow train | evaluate | predict | summary (deltaflow --help).
// The implementation is src/cli/, bundled into dist/bundles/node/cli.js (over the Node entry next to it)
// by `npm run build:bundles`. A stdout closed early (`deltaflow predict … | head`) is handled there: the
// output stops, the command finishes its work.

let cli;
try {
  cli = await import('../dist/bundles/node/cli.js');
} catch (e) {
  process.stderr.write(`deltaflow: cannot load dist/bundles/node/cli.js (${e.code ?? e.message}); build the package first with npm run build\n`);
  process.exit(1);
}
process.exitCode = await cli.run(process.argv.slice(2));
