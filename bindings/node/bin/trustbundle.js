#!/usr/bin/env node
'use strict';
// The trustbundle command line (npx trustbundle): a subset of the C++ tool.
//
//   trustbundle where                 path of cacert.pem
//   trustbundle pem                   the bundle (certifi's layout)
//   trustbundle info [--json]         library, bundle and OpenSSL versions, root count
//   trustbundle verify CHAIN.pem [MORE.pem...] [--host H] [--at TIME]
//                      [--purpose server|client] [--extra-ca PATH]... [--roots PATH]... [--json]
//
// Exit codes: 0 success (or accepted), 1 rejected, 2 bad usage or input, with
// a one-line reason on stderr.

const crypto = require('node:crypto');
const fs = require('node:fs');
const { parseArgs } = require('node:util');

const USAGE = `usage: trustbundle <command> [options]

commands:
  where                      path of cacert.pem (Mozilla's roots, certifi's layout)
  pem                        the bundle's text
  info [--json]              library, bundle and OpenSSL versions, root count
  verify CHAIN.pem [FILE...] verify a chain, leaf first (more files: the rest of it)
      --host NAME            DNS name or IP address the leaf must be valid for
      --at TIME              RFC 3339 UTC time or Unix seconds (default: now)
      --purpose P            server (default) or client (mTLS)
      --extra-ca PATH        trust this CA file or directory too (repeatable)
      --roots PATH           trust only these roots (testing; repeatable)
      --json                 one JSON object on stdout

exit codes: 0 ok, 1 rejected, 2 bad usage or input
`;

class UsageError extends Error {}

function parse(argv, options, positionals) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  } catch (e) {
    throw new UsageError(e.message);
  }
}

function sha256(der) {
  return crypto.createHash('sha256').update(der).digest('hex');
}

function info(tb, argv) {
  const { values } = parse(argv, { json: { type: 'boolean' } }, false);
  const pem = tb.pem();
  const [nss, asOf] = tb.bundleVersion.split('/');
  const data = {
    library_version: tb.libraryVersion,
    package_version: tb.version,
    bundle_version: tb.bundleVersion,
    nss_version: nss,
    as_of: asOf,
    root_count: tb.roots().length,
    pem_sha256: crypto.createHash('sha256').update(pem).digest('hex'),
    where: tb.where(),
    where_capath: tb.whereCapath(),
    node_version: process.versions.node,
    openssl_version: process.versions.openssl,
  };
  if (values.json) {
    console.log(JSON.stringify(data));
  } else {
    console.log(`trustbundle ${data.library_version} (Node package ${data.package_version})`);
    console.log(`bundle:      Mozilla NSS builtins ${nss}, curated as of ${asOf}`);
    console.log(`roots:       ${data.root_count}`);
    console.log(`pem sha256:  ${data.pem_sha256}`);
    console.log(`cacert.pem:  ${data.where}`);
    console.log(`capath:      ${data.where_capath}`);
    console.log(`openssl:     ${data.openssl_version} (Node.js ${data.node_version}'s own)`);
  }
  return 0;
}

function readFile(path) {
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read '${path}': ${e.message}`);
  }
}

function verify(tb, argv) {
  const { values, positionals } = parse(argv, {
    host: { type: 'string' },
    at: { type: 'string' },
    purpose: { type: 'string', default: 'server' },
    'extra-ca': { type: 'string', multiple: true },
    roots: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  }, true);
  if (positionals.length === 0) throw new UsageError('verify needs a chain file (PEM, leaf first)');
  if (values.purpose !== 'server' && values.purpose !== 'client') throw new UsageError('--purpose must be server or client');
  const chain = positionals.map(readFile);
  const extra = values['extra-ca'] || [];
  const store = values.roots
    ? new tb.Store({ extraCa: [...values.roots, ...extra], mozilla: false, env: false })
    : new tb.Store({ extraCa: extra.length ? extra : undefined });
  const opts = { host: values.host, purpose: values.purpose, at: values.at };
  let verified;
  try {
    verified = store.verifySync(chain.length === 1 ? chain[0] : chain, opts);
  } catch (e) {
    if (!(e instanceof tb.VerificationError)) throw e;
    if (values.json) {
      console.log(JSON.stringify({ ok: false, reason: e.reason, code: e.code, depth: e.depth, openssl_code: e.opensslCode,
                                   message: e.verifyMessage, hint: e.hint, chain: [] }));
    } else {
      console.log(`REJECTED: ${e.reason} (${e.code}) at depth ${e.depth}: ${e.verifyMessage}`);
      if (e.hint) console.log(`hint: ${e.hint}`);
    }
    return 1;
  }
  if (values.json) {
    console.log(JSON.stringify({ ok: true, reason: 'OK', code: null, depth: -1, openssl_code: 0, message: '', hint: '',
                                 chain: verified.map(sha256) }));
  } else {
    console.log(`OK: verified (${verified.length} certificates)`);
    verified.forEach((der, i) => {
      const subject = new crypto.X509Certificate(der).subject.replace(/\n/g, ', ');
      console.log(`  ${i}: ${subject}  sha256 ${sha256(der)}`);
    });
  }
  return 0;
}

function main(argv) {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const tb = require('..');
  try {
    switch (command) {
      case 'where':
        parse(rest, {}, false);
        console.log(tb.where());
        return 0;
      case 'pem':
        parse(rest, {}, false);
        process.stdout.write(tb.pem());
        return 0;
      case 'info':
        return info(tb, rest);
      case 'verify':
        return verify(tb, rest);
      default:
        throw new UsageError(command === undefined ? 'a command is needed' : `unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof tb.TrustbundleError || e.code === 'ERR_INVALID_ARG_VALUE' ||
        e.code === 'ERR_INVALID_ARG_TYPE') {
      process.stderr.write(`trustbundle${command ? ` ${command}` : ''}: ${e.message}\n`);
      if (e instanceof UsageError && !command) process.stderr.write(USAGE);
      return 2;
    }
    throw e;
  }
}

// `trustbundle pem | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw e;
});

process.exitCode = main(process.argv.slice(2));
