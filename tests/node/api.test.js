'use strict';
// The public API beyond the vectors: the bundle, secureContext() memoization,
// argument conversion, and the error mapping.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const tls = require('node:tls');
const { execFileSync } = require('node:child_process');
const { test, describe } = require('node:test');

const h = require('./helpers');

const tb = h.loadPackage();
const AT = '2026-06-01T00:00:00Z';

function sha256(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

describe('the bundle', () => {
  test('pem() is the generated cacert.pem, byte for byte, in certifi layout', () => {
    const text = tb.pem();
    assert.equal(text, fs.readFileSync(path.join(h.REPO, 'core', 'data', 'cacert.pem'), 'ascii'));
    assert.match(text, /^\n# Issuer: /);
    assert.equal(tb.pem(), text);
  });

  test('where() is a file holding pem()', () => {
    const file = tb.where();
    assert.ok(path.isAbsolute(file));
    assert.equal(fs.readFileSync(file, 'ascii'), tb.pem());
    const shipped = path.join(h.PACKAGE_DIR, 'cacert.pem');
    if (fs.existsSync(shipped)) assert.equal(file, shipped);
    else assert.ok(file.startsWith(process.env.TRUSTBUNDLE_CACHE_DIR), `${file} is in the private cache`);
  });

  test('whereCapath() is a hashed directory with one file per root', () => {
    const dir = tb.whereCapath();
    const names = fs.readdirSync(dir);
    assert.equal(names.length, tb.roots().length);
    for (const name of names) assert.match(name, /^[0-9a-f]{8}\.\d+$/);
    const fromDir = new Set(names.map((n) => sha256(new crypto.X509Certificate(fs.readFileSync(path.join(dir, n))).raw)));
    assert.deepEqual(fromDir, new Set(tb.roots().map((r) => r.sha256)));
  });

  test('roots(): metadata of every root, fresh frozen objects', () => {
    const roots = tb.roots();
    assert.equal(roots.length, 119);
    for (const r of roots) {
      assert.ok(Object.isFrozen(r));
      assert.equal(r.sha256, sha256(r.der));
      assert.equal(r.serverTrust, 'trusted');
      assert.ok(r.notBefore instanceof Date && r.notAfter instanceof Date && r.notBefore < r.notAfter);
      assert.ok(r.serverDistrustAfter === null || r.serverDistrustAfter instanceof Date);
      assert.match(r.serial, /^\d+$/);
      assert.ok(new crypto.X509Certificate(r.pem).raw.equals(r.der));
      assert.ok(r.label.length > 0 && r.subject.length > 0);
    }
    assert.notEqual(tb.roots(), roots);
    assert.ok(roots.some((r) => /[^\x00-\x7f]/.test(r.label)), 'a non-ASCII label (NetLock) survives');
  });

  test('rootCertificates is shaped like tls.rootCertificates', () => {
    const list = tb.rootCertificates;
    assert.ok(Array.isArray(list) && Object.isFrozen(list));
    assert.equal(tb.rootCertificates, list, 'computed once');
    assert.equal(list.length, tb.roots().length);
    // One certificate per string, no comments, no trailing newline. (Node's
    // strings wrap the base64 at 72 columns; these at 64, as PEM files do.)
    const shape = /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,76}\n)+-----END CERTIFICATE-----$/;
    assert.match(tls.rootCertificates[0], shape, "Node's own shape");
    for (const p of list) assert.match(p, shape);
    assert.deepEqual(list.map((p) => sha256(new crypto.X509Certificate(p).raw)), tb.roots().map((r) => r.sha256));
  });

  test('bundleAsOf and bundleAgeDays', () => {
    const asOf = tb.bundleAsOf;
    assert.ok(asOf instanceof Date);
    assert.equal(asOf.toISOString().replace('.000Z', 'Z'), tb.bundleVersion.split('/')[1]);
    const day = 86400 * 1000;
    assert.equal(tb.bundleAgeDays(asOf), 0);
    assert.equal(tb.bundleAgeDays(new Date(asOf.getTime() - 3 * day)), 0);
    assert.equal(tb.bundleAgeDays(asOf.getTime() + 181 * day - 1000), 180);
    assert.equal(tb.bundleAgeDays(new Date(asOf.getTime() + 181 * day)), 181);
    assert.equal(tb.bundleAgeDays(new Date(asOf.getTime() + 10 * day).toISOString()), 10);
    assert.equal(tb.bundleAgeDays(), Math.max(0, Math.floor((Date.now() - asOf.getTime()) / day)));
    assert.throws(() => tb.bundleAgeDays('yesterday'), /at: /);
    assert.throws(() => tb.bundleAgeDays({}), { code: 'ERR_INVALID_ARG_TYPE' });
  });

  test('versions', () => {
    assert.match(tb.bundleVersion, /^\d+\.\d+\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(tb.libraryVersion, tb.version);
    assert.equal(tb.version, JSON.parse(fs.readFileSync(path.join(h.PACKAGE_DIR, 'package.json'), 'utf8')).version);
  });

  test('ES modules: named imports of the functions and classes, the rest on the default export', () => {
    const url = require('node:url').pathToFileURL(path.join(h.PACKAGE_DIR, 'index.js')).href;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
      import tb, { where, pem, verify, verifySync, Store, VerificationError, TrustbundleError, secureContext,
                   agent, checkKeyPair, roots, whereCapath, tlsCode, version } from ${JSON.stringify(url)};
      const fns = [where, pem, verify, verifySync, Store, VerificationError, TrustbundleError, secureContext, agent,
                   checkKeyPair, roots, whereCapath, tlsCode];
      process.stdout.write(JSON.stringify({ fns: fns.every((f) => typeof f === 'function'), version,
                                            bundleVersion: tb.bundleVersion, n: tb.rootCertificates.length }));`]);
    assert.deepEqual(JSON.parse(out), { fns: true, version: tb.version, bundleVersion: tb.bundleVersion, n: 119 });
  });

  test('require() alone loads no native code', () => {
    const out = execFileSync(process.execPath, ['-e', `
      require(${JSON.stringify(h.PACKAGE_DIR)});
      process.stdout.write(String(Object.keys(require.cache).some((k) => k.endsWith('.node'))));`]);
    assert.equal(out.toString(), 'false');
  });
});

describe('secureContext()', () => {
  const root = () => h.pkiPath('root.pem');

  test('the same options give the same context', () => {
    assert.equal(tb.secureContext(), tb.secureContext());
    assert.equal(tb.secureContext({}), tb.secureContext(undefined));
    assert.ok(tb.secureContext() instanceof tls.SecureContext);
    const withRoot = tb.secureContext({ extraCa: root() });
    assert.equal(tb.secureContext({ extraCa: root() }), withRoot);
    assert.equal(tb.secureContext({ extraCa: [root()] }), withRoot, 'a list of one is the same input');
    assert.notEqual(withRoot, tb.secureContext());
    const tls13 = tb.secureContext({ minVersion: 'TLSv1.3' });
    assert.equal(tb.secureContext({ minVersion: 'TLSv1.3' }), tls13);
    assert.notEqual(tls13, tb.secureContext());
  });

  test('keyed by the CA contents: same bytes elsewhere is the same context, changed bytes a new one', () => {
    const dir = fs.mkdtempSync(path.join(h.scratch, 'ctx-'));
    const a = path.join(dir, 'a.pem');
    const b = path.join(dir, 'b.pem');
    fs.copyFileSync(root(), a);
    fs.copyFileSync(root(), b);
    const first = tb.secureContext({ extraCa: a });
    assert.equal(tb.secureContext({ extraCa: b }), first, 'identical contents at another path');
    assert.equal(tb.secureContext({ extraCa: h.read('root.pem') }), first, 'identical contents as bytes');
    fs.writeFileSync(a, h.read('untrusted/root.pem'));  // same path, other CA
    const changed = tb.secureContext({ extraCa: a });
    assert.notEqual(changed, first);
    fs.writeFileSync(a, h.read('root.pem'));  // back, with a new mtime
    assert.equal(tb.secureContext({ extraCa: a }), first);
  });

  test('an in-place edit that keeps the size and restores the mtime is still seen', () => {
    const dir = fs.mkdtempSync(path.join(h.scratch, 'same-size-'));
    const file = path.join(dir, 'ca.pem');
    const a = h.read('root.pem').toString('ascii');
    const b = h.read('untrusted/root.pem').toString('ascii');
    const size = Math.max(a.length, b.length) + 16;
    const pad = (pem) => `${pem}# ${'x'.repeat(size - pem.length - 3)}\n`;
    fs.writeFileSync(file, pad(a));
    const { mtime } = fs.statSync(file);
    const first = tb.secureContext({ extraCa: file });
    fs.writeFileSync(file, pad(b));
    fs.utimesSync(file, mtime, mtime);
    assert.equal(fs.statSync(file).size, size);
    assert.notEqual(tb.secureContext({ extraCa: file }), first);
    fs.writeFileSync(file, pad(a));
    assert.equal(tb.secureContext({ extraCa: file }), first);
  });

  test('a directory of CAs: a new file in it is seen', () => {
    const dir = fs.mkdtempSync(path.join(h.scratch, 'cadir-'));
    fs.copyFileSync(h.pkiPath('root.pem'), path.join(dir, 'a.pem'));
    const one = tb.secureContext({ extraCa: dir });
    assert.equal(tb.secureContext({ extraCa: dir }), one);
    assert.equal(tb.secureContext({ extraCa: h.pkiPath('root.pem') }), one, 'the same certificate from a file');
    fs.copyFileSync(h.pkiPath('untrusted/root.pem'), path.join(dir, 'b.crt'));
    const two = tb.secureContext({ extraCa: dir });
    assert.notEqual(two, one);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a CA file');
    assert.equal(tb.secureContext({ extraCa: dir }), two, 'a file the core does not read changes nothing');
  });

  test('TRUSTBUNDLE_EXTRA_CA_CERTS is read at every call', () => {
    const dir = fs.mkdtempSync(path.join(h.scratch, 'env-'));
    const file = path.join(dir, 'corp.pem');
    fs.copyFileSync(root(), file);
    const plain = tb.secureContext();
    try {
      process.env.TRUSTBUNDLE_EXTRA_CA_CERTS = file;
      const withEnv = tb.secureContext();
      assert.notEqual(withEnv, plain);
      assert.equal(tb.secureContext(), withEnv);
      assert.equal(tb.secureContext({ env: false }), plain, 'env: false ignores it');
      fs.writeFileSync(file, h.read('untrusted/root.pem'));
      const edited = tb.secureContext();
      assert.notEqual(edited, withEnv, 'the file was edited in place');
      fs.rmSync(file);
      assert.throws(() => tb.secureContext(), (e) => {
        assert.ok(e instanceof tb.TrustbundleError);
        assert.equal(e.code, 'ERR_TRUSTBUNDLE_IO');
        assert.equal(e.status, 'IO');
        assert.equal(e.path, file);
        assert.match(e.message, /^TRUSTBUNDLE_EXTRA_CA_CERTS: .*corp\.pem/);
        return true;
      }, 'a vanished file is an error, never the memoized context');
      process.env.TRUSTBUNDLE_EXTRA_CA_CERTS = dir;  // a directory without certificates
      assert.throws(() => tb.secureContext(), { code: 'ERR_TRUSTBUNDLE_PARSE', message: /^TRUSTBUNDLE_EXTRA_CA_CERTS: / });
      fs.copyFileSync(root(), path.join(dir, 'root.pem'));
      assert.equal(tb.secureContext(), withEnv, 'a directory holding the same CA');
    } finally {
      delete process.env.TRUSTBUNDLE_EXTRA_CA_CERTS;
    }
    assert.equal(tb.secureContext(), plain);
  });

  test('bad extra CAs are errors that name them', () => {
    assert.throws(() => tb.secureContext({ extraCa: '/nonexistent/corp.pem' }), (e) => {
      assert.equal(e.code, 'ERR_TRUSTBUNDLE_IO');
      assert.equal(e.path, '/nonexistent/corp.pem');
      assert.match(e.message, /\/nonexistent\/corp\.pem/);
      return true;
    });
    assert.throws(() => tb.secureContext({ extraCa: [root(), Buffer.from('not a certificate')] }), (e) => {
      assert.equal(e.code, 'ERR_TRUSTBUNDLE_PARSE');
      assert.match(e.message, /extraCa\[1\]/);
      return true;
    });
    assert.throws(() => tb.secureContext({ extraCa: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }),
      { code: 'ERR_TRUSTBUNDLE_PARSE' });
    assert.throws(() => tb.secureContext({ extraCa: 42 }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => tb.secureContext({ extraCa: '' }), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => tb.secureContext({ ca: 'x' }), { name: 'TypeError', message: /extraCa/ });
    assert.throws(() => tb.secureContext({ keepAlive: true }), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => tb.secureContext('x'), { code: 'ERR_INVALID_ARG_TYPE' });
  });

  test('agent(): an https.Agent; agent options go to the agent, keepAlive on by default', () => {
    const agent = tb.agent({ extraCa: root(), maxSockets: 3, minVersion: 'TLSv1.2' });
    assert.ok(agent instanceof https.Agent);
    assert.equal(agent.keepAlive, true);
    assert.equal(agent.maxSockets, 3);
    assert.equal(agent.options.minVersion, undefined, 'context options are in the context');
    assert.equal(agent.options.extraCa, undefined, 'extraCa is in the store');
    agent.destroy();
    const closing = tb.agent({ keepAlive: false });
    assert.equal(closing.keepAlive, false);
    closing.destroy();
    assert.throws(() => tb.agent({ ca: 'x' }), TypeError);
  });

  test('clearSecureContexts() forgets them', () => {
    const before = tb.secureContext();
    tb.clearSecureContexts();
    assert.notEqual(tb.secureContext(), before);
  });
});

describe('verify() arguments', () => {
  const chainPems = () => h.pemBlocks('valid/leaf.pem', 'valid/intermediate.pem');
  const store = () => new tb.Store({ extraCa: h.pkiPath('root.pem') });

  test('certificates as PEM strings, DER buffers, X509Certificates, or one PEM buffer', async () => {
    const s = store();
    const pems = chainPems();
    const opts = { host: 'a.example.test', at: AT };
    const ders = pems.map((p) => new crypto.X509Certificate(p).raw);
    for (const chain of [pems, ders, pems.map((p) => new crypto.X509Certificate(p)), Buffer.from(pems.join('')), pems.join('')]) {
      assert.equal(s.verifySync(chain, opts).length, 3);
      assert.equal((await s.verify(chain, opts)).length, 3);
    }
  });

  test('times: Date, milliseconds, RFC 3339, Unix seconds as a string', () => {
    const s = store();
    const chain = h.pemBlocks('expired/leaf.pem', 'intermediate.pem');
    const inside = [new Date('2024-06-01T00:00:00Z'), Date.parse('2024-06-01T00:00:00Z'), '2024-06-01T00:00:00Z', '1717200000'];
    for (const at of inside) assert.equal(s.verifySync(chain, { at }).length, 3, String(at));
    const expiredYesterday = h.pemBlocks('expired-yesterday/leaf.pem', 'intermediate.pem');
    assert.throws(() => s.verifySync(expiredYesterday), { code: 'CERT_HAS_EXPIRED' }, 'default: now');
    assert.equal(s.verifySync(expiredYesterday, { at: Date.now() - 2 * 86400e3 }).length, 3, 'two days ago');
    assert.throws(() => s.verifySync(chain, { at: 'yesterday' }), (e) => {
      assert.equal(e.code, 'ERR_TRUSTBUNDLE_PARSE');
      assert.match(e.message, /^at: /);
      return true;
    });
    assert.throws(() => s.verifySync(chain, { at: NaN }), RangeError);
    assert.throws(() => s.verifySync(chain, { at: new Date('nope') }), RangeError);
    assert.throws(() => s.verifySync(chain, { at: {} }), TypeError);
  });

  test('hosts: DNS names, IP literals (IPv6 in brackets too), IDNs in ASCII form', () => {
    const s = store();
    const ip = h.pemBlocks('ip/leaf.pem', 'intermediate.pem');
    assert.equal(s.verifySync(ip, { host: '127.0.0.1', at: AT }).length, 3);
    assert.equal(s.verifySync(ip, { host: '::1', at: AT }).length, 3);
    assert.equal(s.verifySync(ip, { host: '[::1]', at: AT }).length, 3);
    assert.throws(() => s.verifySync(ip, { host: '127.0.0.2', at: AT }),
      { code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: 'IP_ADDRESS_MISMATCH' });
    assert.throws(() => s.verifySync(chainPems(), { host: 'bücher.example', at: AT }), (e) => {
      assert.equal(e.reason, 'HOSTNAME_MISMATCH');
      assert.equal(e.host, 'xn--bcher-kva.example');
      return true;
    });
    assert.throws(() => s.verifySync(chainPems(), { host: '', at: AT }), { code: 'ERR_INVALID_ARG_VALUE' }, "'' is a mistake, not 'no name check'");
    assert.throws(() => s.verifySync(chainPems(), { host: 5 }), TypeError);
  });

  test('purpose', () => {
    const s = store();
    assert.throws(() => s.verifySync(chainPems(), { at: AT, purpose: 'client' }), { code: 'INVALID_PURPOSE' });
    assert.throws(() => s.verifySync(chainPems(), { at: AT, purpose: 'email' }), { code: 'ERR_INVALID_ARG_VALUE' });
  });

  test('bad input: typed errors, and verify() rejects instead of throwing', async () => {
    const s = store();
    assert.throws(() => s.verifySync([]), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => s.verifySync([42]), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => s.verifySync(Buffer.from('garbage')), { code: 'ERR_TRUSTBUNDLE_PARSE', status: 'PARSE' });
    const p = tb.verify([]);
    assert.ok(p instanceof Promise);
    await assert.rejects(p, { code: 'ERR_INVALID_ARG_VALUE' });
    await assert.rejects(tb.verify('garbage'), { code: 'ERR_TRUSTBUNDLE_PARSE' });
    await assert.rejects(s.verify(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])), { code: 'ERR_TRUSTBUNDLE_PARSE' });
    const tooMany = Array(1025).fill(chainPems()[0]);  // TRUSTBUNDLE_MAX_CHAIN_CERTS + 1: what a server may send, bounded
    await assert.rejects(s.verify(tooMany), { code: 'ERR_TRUSTBUNDLE_LIMIT' });
    await assert.rejects(tb.verify(chainPems(), { extraCa: '/nonexistent.pem' }), { code: 'ERR_TRUSTBUNDLE_IO', path: '/nonexistent.pem' });
    assert.throws(() => tb.verifySync(chainPems(), 'a.example.test'), { code: 'ERR_INVALID_ARG_TYPE' });
  });

  test('VerificationError carries the shared reason, Node code, depth, hint', () => {
    assert.throws(() => tb.verifySync(chainPems(), { host: 'a.example.test', at: AT }), (e) => {
      assert.ok(e instanceof tb.VerificationError && e instanceof tb.TrustbundleError && e instanceof Error);
      assert.equal(e.name, 'VerificationError');
      assert.equal(e.code, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
      assert.equal(e.reason, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
      assert.equal(e.reasonCode, 1);
      assert.equal(e.depth, 1);
      assert.equal(e.opensslCode, 20);
      assert.equal(e.verifyMessage, 'unable to get local issuer certificate');
      assert.match(e.hint, /TRUSTBUNDLE_EXTRA_CA_CERTS/);
      assert.ok(e.message.includes(e.hint));
      assert.equal(e.host, 'a.example.test');
      return true;
    });
  });
});

describe('stores and key pairs', () => {
  test('Store: extraCount, extraPem, replacement stores', () => {
    const s = new tb.Store({ extraCa: [h.pkiPath('root.pem'), h.pkiPath('untrusted/root.pem')] });
    assert.equal(s.extraCount, 2);
    const pems = s.extraPem().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    assert.equal(pems.length, 2);
    assert.ok(new crypto.X509Certificate(pems[0]).raw.equals(new crypto.X509Certificate(h.read('root.pem')).raw));
    assert.equal(new tb.Store().extraCount, 0);
    assert.equal(new tb.Store().extraPem(), '');
    assert.throws(() => new tb.Store({ mozilla: false, env: false }), { code: 'ERR_TRUSTBUNDLE_INVALID_ARGUMENT' });
    const only = new tb.Store({ extraCa: h.pkiPath('root.pem'), mozilla: false });
    assert.equal(only.verifySync(h.pemBlocks('valid/leaf.pem', 'intermediate.pem'), { at: AT }).length, 3);
  });

  test('the name check is off only when said; NUL bytes never reach the core', () => {
    // Issue 15, items 6 and 7: '' is a mistake, not "no name check" (that is
    // host: null); a NUL would cut the name short at the C boundary.
    const chain = h.pemBlocks('valid/leaf.pem', 'intermediate.pem');
    const s = new tb.Store({ extraCa: h.pkiPath('root.pem') });
    assert.throws(() => s.verifySync(chain, { host: '', at: AT }), { code: 'ERR_INVALID_ARG_VALUE', message: /host: empty string/ });
    assert.equal(s.verifySync(chain, { host: null, at: AT }).length, 3);
    assert.throws(() => s.verifySync(chain, { host: 'a.example.test\0.evil.example', at: AT }),
      { code: 'ERR_INVALID_ARG_VALUE', message: /host: must be a string without null bytes/ });
    assert.throws(() => tb.checkKeyPair(h.pkiPath('mtls/client.pem'), h.pkiPath('mtls/client-encrypted.key'), 'correct horse\0', { at: AT }),
      { code: 'ERR_INVALID_ARG_VALUE', message: /passphrase/ });
  });

  test('checkKeyPair: paths, bytes, passphrases, typed errors', () => {
    const cert = h.pkiPath('mtls/client.pem');
    const ok = tb.checkKeyPair(cert, h.pkiPath('mtls/client.key'), { at: AT });
    const x509 = new crypto.X509Certificate(h.read('mtls/client.pem'));
    assert.deepEqual({ ...ok }, { match: true, clientAuth: true, valid: true, ok: true,
      notBefore: new Date(x509.validFrom), notAfter: new Date(x509.validTo) });
    assert.equal(tb.checkKeyPair(h.read('mtls/client.pem'), h.read('mtls/client-encrypted.key'), Buffer.from('correct horse'), { at: AT }).ok, true);
    assert.equal(tb.checkKeyPair(cert, h.pkiPath('mtls/other.key'), null, { at: AT }).match, false);
    assert.equal(tb.checkKeyPair(h.pkiPath('valid/leaf.pem'), h.pkiPath('valid/leaf.key'), { at: AT }).clientAuth, false);
    assert.throws(() => tb.checkKeyPair(cert, h.pkiPath('mtls/client-encrypted.key'), 'wrong'), { code: 'ERR_TRUSTBUNDLE_PASSPHRASE' });
    assert.throws(() => tb.checkKeyPair(cert, '/nonexistent.key'), { code: 'ERR_TRUSTBUNDLE_IO', path: '/nonexistent.key' });
    assert.throws(() => tb.checkKeyPair(cert, Buffer.from('junk')), { code: 'ERR_TRUSTBUNDLE_PARSE' });
    assert.throws(() => tb.checkKeyPair(cert, h.pkiPath('mtls/client.key'), 42), TypeError);
  });
});

describe('error codes', () => {
  const { native } = require(path.join(h.PACKAGE_DIR, 'lib', 'native'));

  test("every reason of the core has Node's code", () => {
    const expected = {
      UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      SELF_SIGNED: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      SELF_SIGNED_CERT_IN_CHAIN: 'SELF_SIGNED_CERT_IN_CHAIN',
      CERT_HAS_EXPIRED: 'CERT_HAS_EXPIRED',
      CERT_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
      HOSTNAME_MISMATCH: 'ERR_TLS_CERT_ALTNAME_INVALID',
      IP_ADDRESS_MISMATCH: 'ERR_TLS_CERT_ALTNAME_INVALID',
      INVALID_PURPOSE: 'INVALID_PURPOSE',
      PATH_LENGTH_EXCEEDED: 'PATH_LENGTH_EXCEEDED',
      NAME_CONSTRAINTS_VIOLATION: 'UNSPECIFIED',
      ROOT_DISTRUSTED: 'CERT_UNTRUSTED',
      CERT_SIGNATURE_FAILURE: 'CERT_SIGNATURE_FAILURE',
      INVALID_CA: 'INVALID_CA',
      CERT_CHAIN_TOO_LONG: 'CERT_CHAIN_TOO_LONG',
      WEAK_KEY_OR_SIGNATURE: 'UNSPECIFIED',
      INVALID_CERTIFICATE: 'UNSPECIFIED',
      CERT_REVOKED: 'CERT_REVOKED',
      CRL_PROBLEM: 'UNABLE_TO_GET_CRL',
      OTHER: 'UNSPECIFIED',
      UNSUPPORTED_KEY: 'UNSPECIFIED',
      VERIFY_BUDGET_EXCEEDED: 'UNSPECIFIED',
    };
    const names = [];
    for (let i = 1; native().reasonName(i) !== 'UNKNOWN'; i++) names.push(native().reasonName(i));
    assert.deepEqual(names, Object.keys(expected), 'the core has no reason this package does not know');
    for (const name of names) assert.equal(tb.tlsCode(name, 0, 1), expected[name], name);
  });

  test('refinements: the leaf alone, and exact OpenSSL codes Node names', () => {
    assert.equal(tb.tlsCode('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 20, 0), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(tb.tlsCode('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 2, 1), 'UNABLE_TO_GET_ISSUER_CERT');
    assert.equal(tb.tlsCode('CERT_SIGNATURE_FAILURE', 6, 0), 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY');
    assert.equal(tb.tlsCode('INVALID_CERTIFICATE', 14, 0), 'ERROR_IN_CERT_NOT_AFTER_FIELD');
    assert.equal(tb.tlsCode('CRL_PROBLEM', 12, 0), 'CRL_HAS_EXPIRED');
    assert.equal(tb.tlsCode('CERT_HAS_EXPIRED', 21, 0), 'CERT_HAS_EXPIRED', 'only grouping reasons are refined');
    assert.equal(tb.tlsCode('SOMETHING_NEW'), 'UNSPECIFIED');
  });
});
