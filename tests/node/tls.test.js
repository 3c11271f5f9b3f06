'use strict';
// Real TLS: https servers on 127.0.0.1 started here, serving the test PKI,
// and Node's own https client using trustbundle's agent() / secureContext().
// Also checks the claim behind VerificationError.code: for the same chain,
// verify() gives the code Node's TLS client gives.

const assert = require('node:assert/strict');
const https = require('node:https');
const tls = require('node:tls');
const { test, describe, before, after } = require('node:test');

const h = require('./helpers');

const tb = h.loadPackage();

// An https server for a leaf (its key beside it) and the certificates sent after it.
async function startServer(leaf, rest = []) {
  const cert = [leaf, ...rest].map((f) => h.read(f).toString('ascii')).join('');
  const key = h.read(leaf.replace(/\.pem$/, '.key'));
  const server = https.createServer({ cert, key }, (req, res) => {
    res.end('hello from the trustbundle test server\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

// GET / ; resolves to {status, body} or rejects with the client's error.
function get(options) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', path: '/', ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('timed out')));
  });
}

describe('https against a local server (server-localhost chain)', () => {
  let srv;
  before(async () => {
    srv = await startServer('server-localhost/leaf.pem', ['server-localhost/chain.pem']);
  });
  after(() => srv.close());

  test('agent({extraCa: root}) connects, by DNS name and by IP', async () => {
    const agent = tb.agent({ extraCa: h.pkiPath('root.pem') });
    const byName = await get({ host: 'localhost', port: srv.port, agent });
    assert.equal(byName.status, 200);
    assert.match(byName.body, /trustbundle test server/);
    const byIp = await get({ port: srv.port, agent });
    assert.equal(byIp.status, 200);
    agent.destroy();
  });

  test('the extra CA as PEM bytes, or an array, works the same', async () => {
    const agent = tb.agent({ extraCa: [h.read('root.pem')], keepAlive: false });
    assert.equal((await get({ port: srv.port, servername: 'localhost', agent })).status, 200);
    agent.destroy();
  });

  test('without the extra CA: UNABLE_TO_GET_ISSUER_CERT_LOCALLY, as verify() says', async () => {
    const agent = tb.agent();
    await assert.rejects(get({ host: 'localhost', port: srv.port, agent }), (e) => {
      assert.equal(e.code, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
      return true;
    });
    await assert.rejects(tb.verify(h.pemBlocks('server-localhost/fullchain.pem'), { host: 'localhost' }), (e) => {
      assert.ok(e instanceof tb.VerificationError);
      assert.equal(e.code, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
      assert.equal(e.reason, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
      assert.equal(e.depth, 1);
      return true;
    });
    agent.destroy();
  });

  test('a hostname mismatch: ERR_TLS_CERT_ALTNAME_INVALID from https and from verify()', async () => {
    const agent = tb.agent({ extraCa: h.pkiPath('root.pem') });
    await assert.rejects(get({ port: srv.port, servername: 'wrong.example.test', agent }), (e) => {
      assert.equal(e.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      return true;
    });
    await assert.rejects(
      tb.verify(h.pemBlocks('server-localhost/fullchain.pem'), { host: 'wrong.example.test', extraCa: h.pkiPath('root.pem') }),
      (e) => {
        assert.equal(e.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
        assert.equal(e.reason, 'HOSTNAME_MISMATCH');
        assert.equal(e.depth, 0);
        assert.equal(e.host, 'wrong.example.test');
        return true;
      },
    );
    agent.destroy();
  });

  test('TRUSTBUNDLE_EXTRA_CA_CERTS set at run time is read by the next agent', async () => {
    try {
      process.env.TRUSTBUNDLE_EXTRA_CA_CERTS = h.pkiPath('root.pem');
      const agent = tb.agent();
      assert.equal((await get({ host: 'localhost', port: srv.port, agent })).status, 200);
      agent.destroy();
    } finally {
      delete process.env.TRUSTBUNDLE_EXTRA_CA_CERTS;
    }
    const after = tb.agent();
    await assert.rejects(get({ host: 'localhost', port: srv.port, agent: after }), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    after.destroy();
  });

  test('tls.connect with secureContext(); the peer chain verifies with verify()', async () => {
    const secureContext = tb.secureContext({ extraCa: h.pkiPath('root.pem') });
    const peer = await new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: srv.port, servername: 'localhost', secureContext }, () => {
        const cert = socket.getPeerCertificate(true);
        socket.end();
        resolve(cert);
      });
      socket.on('error', reject);
    });
    const verified = await tb.verify(peer, { host: 'localhost', extraCa: h.pkiPath('root.pem') });
    assert.equal(verified.length, 3);
    assert.ok(verified[0].equals(peer.raw));
    const store = new tb.Store({ extraCa: h.pkiPath('root.pem') });
    assert.equal(store.verifySync(peer, { host: '127.0.0.1' }).length, 3);
  });
});

// Chains Node's client and verify() must judge alike (same reason => same code).
// The host is what the client checks (servername, or an IP via checkServerIdentity).
const SAME_CODE = [
  ['expired leaf', 'expired-yesterday/leaf.pem', ['intermediate.pem'], 'a.example.test', 'CERT_HAS_EXPIRED'],
  ['self-signed leaf', 'self-signed/leaf.pem', [], 'self-signed.example.test', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ['untrusted root sent', 'untrusted/leaf.pem', ['untrusted/intermediate.pem', 'untrusted/root.pem'],
    'untrusted.example.test', 'SELF_SIGNED_CERT_IN_CHAIN'],
  ['untrusted root not sent', 'untrusted/leaf.pem', ['untrusted/intermediate.pem'], 'untrusted.example.test',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  ['only the leaf sent', 'valid/leaf.pem', [], 'a.example.test', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ['clientAuth-only EKU', 'wrong-eku/leaf.pem', ['intermediate.pem'], 'a.example.test', 'INVALID_PURPOSE'],
  ['path length', 'pathlen/leaf.pem', ['pathlen/sub-intermediate.pem', 'pathlen/intermediate.pem'],
    'pathlen.example.test', 'PATH_LENGTH_EXCEEDED'],
  ['name constraints', 'name-constraints/leaf-bad.pem', ['name-constraints/intermediate.pem'], 'bad.example.test',
    'UNSPECIFIED'],
  ['forged signature', 'forged/leaf.pem', ['intermediate.pem'], 'a.example.test', 'CERT_SIGNATURE_FAILURE'],
  ['DNS name mismatch', 'valid/leaf.pem', ['intermediate.pem'], 'wrong.example.test', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ['IP mismatch', 'ip/leaf.pem', ['intermediate.pem'], '127.0.0.2', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ['valid', 'valid/leaf.pem', ['intermediate.pem'], 'a.example.test', null],
];

describe("VerificationError.code is Node's code for the same chain", () => {
  for (const [name, leaf, rest, host, expected] of SAME_CODE) {
    test(name, async () => {
      const srv = await startServer(leaf, rest);
      // Node's own verification (OpenSSL + checkServerIdentity) on trustbundle's roots.
      const agent = new https.Agent({ secureContext: tb.secureContext({ extraCa: h.pkiPath('root.pem') }) });
      try {
        const options = { port: srv.port, agent };
        if (/^[\d.]+$/.test(host)) options.checkServerIdentity = (_, cert) => tls.checkServerIdentity(host, cert);
        else options.servername = host;
        const nodeCode = await get(options).then(() => null, (e) => e.code);
        let ours = null;
        try {
          await tb.verify([leaf, ...rest].map((f) => h.read(f)), { host, extraCa: h.pkiPath('root.pem') });
        } catch (e) {
          assert.ok(e instanceof tb.VerificationError, e.message);
          ours = e.code;
        }
        assert.equal(nodeCode, expected, "Node's code");
        assert.equal(ours, nodeCode, 'verify() code');
      } finally {
        agent.destroy();
        await srv.close();
      }
    });
  }

  test('a policy difference, documented: an intermediate with CA:FALSE', async () => {
    // trustbundle verifies with X509_V_FLAG_X509_STRICT and reports the CA
    // problem; Node's client (default flags) stops earlier at the purpose check.
    await assert.rejects(
      tb.verify([h.read('not-ca/leaf.pem'), h.read('not-ca/intermediate.pem')], { host: 'a.example.test', extraCa: h.pkiPath('root.pem') }),
      { code: 'INVALID_CA', reason: 'INVALID_CA' },
    );
  });
});
