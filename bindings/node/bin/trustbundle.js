#!/usr/bin/env node
'use strict';
// npx trustbundle: the core's command-line tool (trustbundle_cli_main through
// the addon), so it prints what every package's tool prints. `trustbundle
// --help` lists the commands. The core writes to file descriptors 1 and 2
// itself; nothing here writes before it.

const { native } = require('../lib/native');

let addon;
try {
  addon = native();
} catch (e) {
  process.stderr.write(`trustbundle: ${e.message}\n`);
  process.exit(2);
}
process.exitCode = addon.cliMain(['trustbundle', ...process.argv.slice(2)]);
