'use strict';
// trustbundle.diagnose() (the doctor) against real servers on 127.0.0.1: the
// matrix servers (tests/matrix/serve.py), a closed port and a silent one.

const assert = require('node:assert/strict');
const net = require('node:net');
const { test, describe, before, after } = require('node:test');

const h = require('./helpers');
const matrix = require('./matrix-server');

const tb = h.loadPackage();

let servers;
before(async () => { servers = await matrix.start(); });
after(() => servers && servers.stop());

const root = () => h.pkiPath('root.pem');
const target = (name) => `127.0.0.1:${servers.ports[name]}`;
const codes = (d) => d.findings.map((f) => f.code);
const findingOf = (d, code) => d.findings.find((f) => f.code === code);

describe('diagnose()', () => {
  test('a good chain: OK, the protocol, the chain as served, the report and the JSON', async () => {
    const d = await tb.diagnose(target('good'), { servername: 'localhost', extraCa: root() });
    assert.equal(d.verdict, 'OK');
    assert.equal(d.ok, true);
    assert.equal(d.exitCode, 0);
    assert.equal(d.failure, 'NONE');
    assert.equal(d.reason, 'OK');
    assert.equal(d.protocol, 'TLSv1.3');
    assert.ok(d.cipher);
    assert.equal(d.chain.length, h.pemBlocks('matrix/good/served.pem').length);
    assert.match(d.chain[0].subject, /CN=localhost/);
    assert.ok(d.chain[0].notAfter instanceof Date);
    assert.ok(Buffer.isBuffer(d.chain[0].der));
    assert.ok(codes(d).includes('EXTRA_CA_ANCHOR'));
    assert.equal(JSON.parse(d.json).verdict !== undefined, true);
    assert.ok(d.text.length > 0);
  });

  test('a missing intermediate: REJECTED, the reason, a finding with a fix for the server', async () => {
    const d = await tb.diagnose(target('missing-intermediate'), { servername: 'localhost', extraCa: root() });
    assert.equal(d.verdict, 'REJECTED');
    assert.equal(d.exitCode, 1);
    assert.equal(d.reason, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    assert.ok(d.hint.length > 0);
    const f = findingOf(d, 'MISSING_INTERMEDIATE');
    assert.ok(f, codes(d).join(','));
    assert.equal(f.severity, 'error');
    assert.ok(f.fixServer.length > 0);
    assert.ok(d.fixServer.includes(f.fixServer));
  });

  test('an expired leaf and intermediates out of order', async () => {
    const expired = await tb.diagnose(target('expired'), { servername: 'localhost', extraCa: root() });
    assert.equal(expired.reason, 'CERT_HAS_EXPIRED');
    assert.equal(findingOf(expired, 'LEAF_EXPIRED').index, 0);
    const ooo = await tb.diagnose(target('out-of-order'), { servername: 'localhost', extraCa: root() });
    assert.equal(ooo.verdict, 'OK');
    assert.ok(codes(ooo).includes('OUT_OF_ORDER'), codes(ooo).join(','));
  });

  test("an unknown root: the client's fix names this package's option ({ extraCa })", async () => {
    const d = await tb.diagnose(target('good'), { servername: 'localhost' });
    assert.equal(d.verdict, 'REJECTED');
    assert.ok(codes(d).includes('UNKNOWN_ROOT'), codes(d).join(','));
    assert.match(d.fixClient, /extraCa/);
    assert.doesNotMatch(d.fixClient, /--extra-ca/);
  });

  test('a wrong name, and a server that requires a client certificate, without and with one (paths)', async () => {
    const wrong = await tb.diagnose(target('wrong-host'), { servername: 'localhost', extraCa: root() });
    assert.equal(wrong.reason, 'HOSTNAME_MISMATCH');
    assert.ok(codes(wrong).includes('NAME_MISMATCH'));
    const without = await tb.diagnose(target('client-cert-required'), { servername: 'localhost', extraCa: root() });
    assert.equal(without.verdict, 'REJECTED');
    assert.ok(codes(without).includes('CLIENT_CERT_REQUIRED'), codes(without).join(','));
    const given = await tb.diagnose(target('client-cert-given'), {
      servername: 'localhost', extraCa: root(), cert: h.pkiPath('mtls/client.pem'), key: h.pkiPath('mtls/client.key'),
    });
    assert.equal(given.verdict, 'OK', given.text);
  });

  test('unreachable: a closed port', async () => {
    const closed = net.createServer();
    await new Promise((r) => closed.listen(0, '127.0.0.1', r));
    const port = closed.address().port;
    await new Promise((r) => closed.close(r));
    const d = await tb.diagnose(`127.0.0.1:${port}`, { timeout: 3000 });
    assert.equal(d.verdict, 'UNREACHABLE');
    assert.equal(d.exitCode, 2);
    assert.equal(d.failure, 'CONNECTION_REFUSED');
    assert.equal(d.reason, null);
  });

  test('off the main thread: timers run while a silent server times the probe out (timeout in ms)', async () => {
    const silent = net.createServer(() => {});
    await new Promise((r) => silent.listen(0, '127.0.0.1', r));
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 10);
    try {
      const d = await tb.diagnose(`127.0.0.1:${silent.address().port}`, { timeout: 600 });
      assert.equal(d.failure, 'TIMEOUT');
    } finally {
      clearInterval(timer);
      silent.close();
    }
    assert.ok(ticks >= 20, `${ticks} timer ticks during the probe`);
  });

  test('bad arguments are errors', async () => {
    await assert.rejects(tb.diagnose(target('good'), { extra_ca: root() }), { code: 'ERR_INVALID_ARG_VALUE' });
    await assert.rejects(tb.diagnose(target('good'), { timeout: -1 }), { code: 'ERR_OUT_OF_RANGE' });
    await assert.rejects(tb.diagnose(42), { code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(tb.diagnose(target('good'), { extraCa: '/nonexistent/ca.pem' }), { code: 'ERR_TRUSTBUNDLE_IO' });
  });
});
