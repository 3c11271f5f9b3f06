'use strict';
// The trustbundle bin: where, pem, info, verify; exit 0 ok, 1 rejected, 2 bad usage or input.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { test, describe } = require('node:test');

const h = require('./helpers');

const tb = h.loadPackage();
const BIN = path.join(h.PACKAGE_DIR, 'bin', 'trustbundle.js');
const AT = '2026-06-01T00:00:00Z';

function run(...args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('trustbundle bin', () => {
  test('package.json declares it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(h.PACKAGE_DIR, 'package.json'), 'utf8'));
    assert.equal(pkg.bin.trustbundle, 'bin/trustbundle.js');
    assert.match(fs.readFileSync(BIN, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  test('where and pem', () => {
    const where = run('where');
    assert.equal(where.code, 0);
    assert.equal(fs.readFileSync(where.out.trim(), 'ascii'), tb.pem());
    const pem = run('pem');
    assert.equal(pem.code, 0);
    assert.equal(pem.out, tb.pem());
  });

  test('info --json', () => {
    const r = run('info', '--json');
    assert.equal(r.code, 0, r.err);
    const info = JSON.parse(r.out);
    assert.equal(info.bundle_version, tb.bundleVersion);
    assert.equal(info.root_count, 119);
    assert.equal(info.library_version, tb.libraryVersion);
    assert.equal(info.openssl_version, process.versions.openssl);
    const text = run('info');
    assert.equal(text.code, 0);
    assert.match(text.out, /roots: +119/);
  });

  test('verify: accepted (0), rejected (1)', () => {
    const ok = run('verify', h.pkiPath('server-localhost/fullchain.pem'), '--host', 'localhost', '--extra-ca', h.pkiPath('root.pem'), '--json');
    assert.equal(ok.code, 0, ok.err);
    const good = JSON.parse(ok.out);
    assert.equal(good.ok, true);
    assert.equal(good.chain.length, 3);
    const two = run('verify', h.pkiPath('valid/leaf.pem'), h.pkiPath('valid/intermediate.pem'), '--roots', h.pkiPath('root.pem'), '--at', AT);
    assert.equal(two.code, 0, two.err);
    assert.match(two.out, /^OK: verified \(3 certificates\)/);
    const bad = run('verify', h.pkiPath('expired/leaf.pem'), h.pkiPath('intermediate.pem'), '--extra-ca', h.pkiPath('root.pem'), '--at', AT, '--json');
    assert.equal(bad.code, 1);
    const rejected = JSON.parse(bad.out);
    assert.deepEqual([rejected.ok, rejected.reason, rejected.code, rejected.depth], [false, 'CERT_HAS_EXPIRED', 'CERT_HAS_EXPIRED', 0]);
    const text = run('verify', h.pkiPath('server-localhost/fullchain.pem'), '--host', 'localhost');
    assert.equal(text.code, 1);
    assert.match(text.out, /^REJECTED: UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    assert.match(text.out, /\nhint: /);
  });

  test('bad usage or input exits 2 with one line on stderr', () => {
    const cases = [
      [],
      ['frobnicate'],
      ['verify'],
      ['verify', '/nonexistent.pem'],
      ['verify', h.pkiPath('valid/leaf.pem'), '--purpose', 'email'],
      ['verify', h.pkiPath('valid/leaf.pem'), '--at', 'tomorrow'],
      ['verify', h.pkiPath('valid/leaf.pem'), '--extra-ca', '/nonexistent-ca.pem'],
      ['verify', h.pkiPath('valid/leaf.pem'), '--bogus'],
      ['where', 'extra'],
    ];
    for (const args of cases) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /^trustbundle/, args.join(' '));
      assert.doesNotMatch(r.err, /\n\s+at /, `${args.join(' ')}: no stack trace`);
    }
    const help = run('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /^usage: trustbundle/);
  });
});
