#!/usr/bin/env node
'use strict';
// The smoke program of issue 8, Node edition: usage node smoke.js PKI_DIR.
//
// Prints, through the installed package's public API only, the lines every
// other edition (smoke.py, smoke.rb, go/main.go) prints byte for byte:
//
//   bundle_version <bundleVersion>
//   root_count <roots().length>
//   contents_sha256 <SHA-256 of pem(), the contents of where(), hex>
//   <valid|expired|wrong_host> <OK|REASON> depth=<d> hint=<hint>
//
// PKI_DIR is the output of tests/pki/generate.py; the chains are those of
// tests/vectors/verify.json (see smoke.py). REASON is VerificationError's
// .reason, the name shared by every package (not Node's tls .code). An
// accepted chain prints depth=-1 and an empty hint. Where the package was
// loaded from goes to stderr. `trustbundle` resolves from the working
// directory's node_modules (a project that installed the tarball).

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const AT = '2026-06-01T00:00:00Z';

function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node smoke.js PKI_DIR\n');
    return 2;
  }
  const pki = argv[0];
  // Resolve the package as the project in the working directory sees it.
  const projectRequire = createRequire(path.join(process.cwd(), 'package.json'));
  const tb = projectRequire('trustbundle');

  const read = (name) => fs.readFileSync(path.join(pki, name));
  const root = path.join(pki, 'root.pem');
  const chains = [
    ['valid', ['valid/leaf.pem', 'valid/intermediate.pem'], 'a.example.test'],
    ['expired', ['expired/leaf.pem', 'intermediate.pem'], 'a.example.test'],
    ['wrong_host', ['valid/leaf.pem', 'valid/intermediate.pem'], 'wrong.example.test'],
  ];
  const lines = [
    `bundle_version ${tb.bundleVersion}`,
    `root_count ${tb.roots().length}`,
    `contents_sha256 ${crypto.createHash('sha256').update(tb.pem(), 'utf8').digest('hex')}`,
  ];
  for (const [name, files, host] of chains) {
    try {
      tb.verifySync(files.map(read), { host, at: AT, extraCa: root });
      lines.push(`${name} OK depth=-1 hint=`);
    } catch (e) {
      if (!(e instanceof tb.VerificationError)) throw e;
      lines.push(`${name} ${e.reason} depth=${e.depth} hint=${e.hint}`);
    }
  }
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  process.stderr.write(`smoke.js: trustbundle ${tb.libraryVersion} from ${projectRequire.resolve('trustbundle')}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
