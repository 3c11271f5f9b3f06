'use strict';
// The trustbundle bin (npx trustbundle): the core's command-line tool through
// the addon, the same commands, output and exit codes as every package's
// tool: 0 ok, 1 a negative answer, 2 bad usage or input. Times are pinned.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
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

  test('--version, --help and every command\'s --help', () => {
    assert.deepEqual(run('--version'), { code: 0, out: `trustbundle ${tb.libraryVersion}\n`, err: '' });
    const help = run('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /^usage: trustbundle COMMAND \[options\]/);
    const commands = help.out.split('\n').filter((l) => l.startsWith('  trustbundle ')).map((l) => l.split(' ')[3]);
    assert.deepEqual(commands, ['where', 'pem', 'info', 'list', 'capath', 'build', 'diff', 'verify', 'check-pair', 'doctor']);
    for (const command of commands) {
      const r = run(command, '--help');
      assert.equal(r.code, 0, command);
      assert.ok(r.out.startsWith(`usage: trustbundle ${command}`), r.out);
      assert.equal(r.err, '');
    }
  });

  test('where, pem, and certifi\'s no-argument and -c forms', () => {
    const where = run('where');
    assert.equal(where.code, 0);
    const file = where.out.trimEnd();
    assert.ok(file.startsWith(process.env.TRUSTBUNDLE_CACHE_DIR), `${file}: in the user cache`);
    assert.equal(fs.readFileSync(file, 'ascii'), tb.pem());
    assert.deepEqual(run(), where);
    for (const args of [['pem'], ['-c'], ['--contents']]) assert.deepEqual(run(...args), { code: 0, out: tb.pem(), err: '' });
  });

  test('info and list, text and JSON', () => {
    const at = '2030-01-02T03:04:05Z';
    const r = run('info', '--json', '--at', at);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), {
      library_version: tb.libraryVersion, bundle_version: tb.bundleVersion, nss_version: '2.86',
      as_of: tb.bundleVersion.split('/')[1], age_days: tb.bundleAgeDays(at), root_count: 119,
      pem_sha256: crypto.createHash('sha256').update(tb.pem()).digest('hex'),
    });
    assert.match(run('info').out, /\nroots: +119\n/);
    const list = run('list', '--json');
    assert.equal(list.code, 0);
    assert.deepEqual(JSON.parse(list.out).map((e) => e.sha256), tb.roots().map((root) => root.sha256));
    assert.equal(run('list').out.split('\n').filter(Boolean).length, 119);
  });

  test('verify: accepted (0), rejected (1)', () => {
    const fullchain = h.pkiPath('server-localhost/fullchain.pem');
    const ok = run('verify', fullchain, '--host', 'localhost', '--extra-ca', h.pkiPath('root.pem'), '--at', AT, '--json');
    assert.equal(ok.code, 0, ok.err);
    const good = JSON.parse(ok.out);
    assert.deepEqual([good.ok, good.reason, good.chain], [true, 'OK', ['localhost', 'Test Intermediate CA', 'Test Root CA']]);
    const two = run('verify', h.pkiPath('valid/leaf.pem'), h.pkiPath('valid/intermediate.pem'), '--roots', h.pkiPath('root.pem'), '--at', AT);
    assert.equal(two.code, 0, two.err);
    assert.match(two.out, /^OK: verified \(3 certificates\)\n {2}0: /);
    const bad = run('verify', h.pkiPath('expired/leaf.pem'), h.pkiPath('intermediate.pem'), '--extra-ca', h.pkiPath('root.pem'), '--at', AT, '--json');
    assert.equal(bad.code, 1);
    const rejected = JSON.parse(bad.out);
    assert.deepEqual([rejected.ok, rejected.reason, rejected.depth, rejected.chain], [false, 'CERT_HAS_EXPIRED', 0, []]);
    assert.equal(bad.err, 'rejected: CERT_HAS_EXPIRED: certificate has expired\n');
    const text = run('verify', fullchain, '--host', 'localhost', '--at', AT);
    assert.equal(text.code, 1);
    assert.match(text.out, /^REJECTED: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 1: /);
    assert.match(text.out, /\nhint: issued by 'Test Root CA'/);
  });

  test('check-pair: 0 when the key matches, 1 when not', () => {
    const pair = run('check-pair', h.pkiPath('mtls/client.pem'), h.pkiPath('mtls/client.key'), '--at', AT, '--json');
    assert.equal(pair.code, 0, pair.err);
    assert.deepEqual([JSON.parse(pair.out).ok, JSON.parse(pair.out).match], [true, true]);
    const other = run('check-pair', h.pkiPath('mtls/client.pem'), h.pkiPath('mtls/other.key'), '--at', AT);
    assert.equal(other.code, 1);
    assert.match(other.out, /^MISMATCH: {4}the key does not belong to the certificate\n/);
  });

  test('bad usage or input exits 2 with a reason on stderr, nothing on stdout', () => {
    const cases = [
      ['frobnicate'],
      ['verify'],
      ['verify', '/nonexistent.pem'],
      ['verify', h.pkiPath('valid/leaf.pem'), '--purpose', 'email'],
      ['verify', h.pkiPath('valid/leaf.pem'), '--at', 'tomorrow'],
      ['verify', h.pkiPath('valid/leaf.pem'), '--extra-ca', '/nonexistent-ca.pem'],
      ['verify', h.pkiPath('valid/leaf.pem'), '--bogus'],
      ['where', 'extra'],
      ['-c', 'extra'],
    ];
    for (const args of cases) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.out, '', args.join(' '));
      assert.match(r.err, /^trustbundle/, args.join(' '));
      assert.doesNotMatch(r.err, /\n\s+at /, `${args.join(' ')}: no stack trace`);
    }
    assert.match(run('verify', '/nonexistent.pem').err, /^trustbundle verify: .*\/nonexistent\.pem/);
  });
});
