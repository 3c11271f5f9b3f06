'use strict';
// The TLS hook of agent(), dispatcher() and connect() (lib/connect.js),
// against the matrix servers (tests/matrix/serve.py), whose request counters
// show what reached a server: no byte before the check, fail closed when the
// check does not run, resumed sessions checked, keep-alive; and the options:
// NODE_EXTRA_CA_CERTS, unknown options, cert/key as paths or PEM, inject().

const assert = require('node:assert/strict');
const https = require('node:https');
const tls = require('node:tls');
const { once } = require('node:events');
const { test, describe, before, after } = require('node:test');

const h = require('./helpers');
const matrix = require('./matrix-server');

const tb = h.loadPackage();

const REQUEST = 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

let servers;
before(async () => { servers = await matrix.start(); });
after(() => servers && servers.stop());

const root = () => h.pkiPath('root.pem');
const port = (name) => servers.ports[name];
const count = async (name) => (await servers.requests())[name];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// https GET through agent: resolves {status, body, reused, resumed} or rejects.
function get(url, agent, extra = {}) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { agent, ...extra }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body, reused: req.reusedSocket, resumed: req.socket.isSessionReused() }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('timed out')));
  });
}

// Sends REQUEST on a socket and resolves to the response text.
function exchange(socket) {
  socket.write(REQUEST);
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => { text += d; });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

// Settles when the socket errors ({error}) or closes ({closed}).
function outcome(socket) {
  return new Promise((resolve) => {
    socket.once('error', (error) => resolve({ error }));
    socket.once('close', () => resolve({ closed: true }));
  });
}

describe('no data before the check', () => {
  test('a request written before the handshake never reaches a rejected server', async () => {
    const before = await count('expired');
    const socket = tb.connect({ host: '127.0.0.1', port: port('expired'), servername: 'localhost', extraCa: root() });
    socket.write(REQUEST);  // before the handshake: held by the gate
    const { error } = await outcome(socket);
    assert.ok(error instanceof tb.VerificationError);
    assert.equal(error.reason, 'CERT_HAS_EXPIRED');
    assert.equal(error.code, 'CERT_HAS_EXPIRED');
    await sleep(100);
    assert.equal(await count('expired'), before);
  });

  test('the counter does see such a write when nothing holds it (the test can fail)', async () => {
    const before = await count('expired');
    const socket = tls.connect({ host: '127.0.0.1', port: port('expired'), rejectUnauthorized: false });
    const response = await exchange(socket);
    assert.match(response, /ok expired/);
    assert.equal(await count('expired'), before + 1);
  });
});

describe('fail closed', () => {
  test('when the check is never reached, nothing is written and the connection is not established', async () => {
    const before = await count('good');
    const socket = tb.connect({ host: '127.0.0.1', port: port('good'), servername: 'localhost', extraCa: root() });
    socket.removeAllListeners('secure');  // the hook (and Node's listener) never runs
    let connected = false;
    socket.on('secureConnect', () => { connected = true; });
    socket.write(REQUEST);
    await sleep(500);
    assert.equal(connected, false);
    assert.equal(await count('good'), before);
    socket.destroy();
  });

  test("a 'secureConnect' without the check destroys the socket", async () => {
    const before = await count('good');
    const socket = tb.connect({ host: '127.0.0.1', port: port('good'), servername: 'localhost', extraCa: root() });
    socket.removeAllListeners('secure');
    socket.on('secure', () => socket.emit('secureConnect'));  // a path that skipped the check
    socket.write(REQUEST);
    const { error } = await outcome(socket);
    assert.equal(error && error.code, 'ERR_TRUSTBUNDLE_CHECK_NOT_RUN');
    await sleep(100);
    assert.equal(await count('good'), before);
  });

  test('verification cannot be turned off', () => {
    assert.throws(() => tb.agent({ rejectUnauthorized: false }), { code: 'ERR_INVALID_ARG_VALUE', message: /rejectUnauthorized/ });
    assert.throws(() => tb.dispatcher({ rejectUnauthorized: false }), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => tb.agent({ checkServerIdentity: () => undefined }), { code: 'ERR_INVALID_ARG_VALUE' });
  });

  test('rejectUnauthorized: false on a request through agent() changes nothing', async () => {
    const agent = tb.agent({ extraCa: root() });
    await assert.rejects(get(`https://localhost:${port('expired')}/`, agent, { rejectUnauthorized: false }),
      { reason: 'CERT_HAS_EXPIRED' });
    agent.destroy();
  });
});

describe('resumed sessions are checked', () => {
  // A TLS 1.3 session from a full, verified handshake to the good server.
  async function firstSession(agent) {
    const socket = agent.createConnection({ host: '127.0.0.1', port: port('good'), servername: 'localhost' });
    const session = once(socket, 'session');
    assert.match(await exchange(socket), /ok good/);
    assert.equal(socket.getProtocol(), 'TLSv1.3');
    return (await session)[0];
  }

  // Connects with a session; resolves {resumed, error?, response?}.
  async function resume(agent, servername, session) {
    const socket = agent.createConnection({ host: '127.0.0.1', port: port('good'), servername, session });
    let resumed = null;
    socket.prependListener('secure', () => { resumed = socket.isSessionReused(); });
    const failed = outcome(socket).then((r) => r.error || new Error('closed'));
    const result = await Promise.race([exchange(socket).then((response) => ({ response }), (error) => ({ error })),
                                      failed.then((error) => ({ error }))]);
    return { resumed, ...result };
  }

  test('resumed: accepted for the same name, rejected for another name and by another store', async () => {
    const agent = tb.agent({ extraCa: root() });
    const session = await firstSession(agent);

    let before = await count('good');
    const same = await resume(agent, 'localhost', session);
    assert.equal(same.resumed, true, 'the session was resumed');
    assert.match(same.response, /ok good/);
    assert.equal(await count('good'), before + 1);

    before = await count('good');
    const other = await resume(agent, 'wrong.example.test', session);
    assert.equal(other.resumed, true, 'the session was resumed');
    assert.ok(other.error instanceof tb.VerificationError, String(other.error));
    assert.equal(other.error.reason, 'HOSTNAME_MISMATCH');

    // Another agent never saw this session issued: it has no chain to judge.
    const stranger = tb.agent({ extraCa: root() });
    const unknown = await resume(stranger, 'localhost', session);
    assert.equal(unknown.resumed, true, 'the session was resumed');
    assert.equal(unknown.error && unknown.error.code, 'ERR_TRUSTBUNDLE_UNKNOWN_SESSION');
    await sleep(100);
    assert.equal(await count('good'), before, 'nothing reached the server over a rejected resumption');
    agent.destroy();
    stranger.destroy();
  });

  test("https through agent(): the agent's session cache resumes, and the check still runs", async () => {
    const agent = tb.agent({ extraCa: root(), keepAlive: false });
    const url = `https://localhost:${port('good')}/`;
    const first = await get(url, agent);
    await sleep(50);  // the ticket arrives after the response
    const second = await get(url, agent);
    assert.equal(first.resumed, false);
    assert.equal(second.resumed, true);
    assert.equal(second.body, 'ok good\n');
    agent.destroy();
  });
});

describe('keep-alive', () => {
  test('on by default: the second request reuses the verified connection', async () => {
    const agent = tb.agent({ extraCa: root() });
    const url = `https://localhost:${port('good')}/`;
    const before = await count('good');
    const first = await get(url, agent);
    const second = await get(url, agent);
    assert.equal(first.reused, false);
    assert.equal(second.reused, true);
    assert.equal(await count('good'), before + 2);
    agent.destroy();
  });

  test('dispatcher(): many requests, one check per connection', async () => {
    const dispatcher = tb.dispatcher({ extraCa: root() });
    const url = `https://localhost:${port('good')}/`;
    for (let i = 0; i < 3; i++) assert.equal(await (await fetch(url, { dispatcher })).text(), 'ok good\n');
    await dispatcher.close();
  });
});

describe('the chain as sent', () => {
  test('intermediates out of order, many connections at once: every one is judged on what its server sent', async () => {
    const dispatcher = tb.dispatcher({ extraCa: root(), connections: 8, pipelining: 0 });
    const url = `https://localhost:${port('out-of-order')}/`;
    const bodies = await Promise.all(Array.from({ length: 16 }, () => fetch(url, { dispatcher }).then((r) => r.text())));
    assert.deepEqual(new Set(bodies), new Set(['ok out-of-order\n']));
    await dispatcher.close();
  });

  test("a passed check reports the socket authorized to 'secureConnect' listeners", async () => {
    const socket = tb.connect({ host: '127.0.0.1', port: port('good'), servername: 'localhost', extraCa: root() });
    await once(socket, 'secureConnect');
    assert.equal(socket.authorized, true);
    assert.equal(socket.authorizationError, null);
    socket.destroy();
  });
});

describe('NODE_EXTRA_CA_CERTS', () => {
  const url = () => `https://localhost:${port('good')}/`;
  after(() => { delete process.env.NODE_EXTRA_CA_CERTS; });

  test('is an extra source, read when an agent or dispatcher is made', async () => {
    process.env.NODE_EXTRA_CA_CERTS = root();
    const agent = tb.agent();
    const dispatcher = tb.dispatcher();
    delete process.env.NODE_EXTRA_CA_CERTS;
    assert.equal((await get(url(), agent)).status, 200);
    assert.equal((await fetch(url(), { dispatcher })).status, 200);
    agent.destroy();
    await dispatcher.close();
    const without = tb.agent();
    await assert.rejects(get(url(), without), { reason: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    without.destroy();
  });

  test('an unreadable one is an error naming it', () => {
    process.env.NODE_EXTRA_CA_CERTS = '/nonexistent/corporate-root.pem';
    assert.throws(() => tb.agent(), (e) => e instanceof tb.TrustbundleError && /NODE_EXTRA_CA_CERTS/.test(e.message));
    assert.throws(() => tb.dispatcher(), /NODE_EXTRA_CA_CERTS/);
    assert.throws(() => tb.secureContext(), /NODE_EXTRA_CA_CERTS/);
    delete process.env.NODE_EXTRA_CA_CERTS;
  });
});

describe('options', () => {
  test('unknown options are rejected, like secureContext()', () => {
    assert.throws(() => tb.agent({ keepalive: true }), { code: 'ERR_INVALID_ARG_VALUE', message: /"keepalive"/ });
    assert.throws(() => tb.dispatcher({ maxSocket: 1 }), { code: 'ERR_INVALID_ARG_VALUE', message: /"maxSocket"/ });
    assert.throws(() => tb.dispatcher({ allowH2: true }), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => tb.agent({ ca: root() }), { message: /extraCa/ });
  });

  test('cert/key as paths, PEM text or buffers', async () => {
    const url = `https://localhost:${port('client-cert-given')}/`;
    const forms = [
      { cert: h.pkiPath('mtls/client.pem'), key: h.pkiPath('mtls/client.key') },
      { cert: h.read('mtls/client.pem').toString('utf8'), key: h.read('mtls/client.key').toString('utf8') },
      { cert: h.read('mtls/client.pem'), key: h.read('mtls/client.key') },
    ];
    for (const form of forms) {
      const agent = tb.agent({ extraCa: root(), ...form });
      assert.equal((await get(url, agent)).body, 'ok client-cert-given\n');
      agent.destroy();
      const dispatcher = tb.dispatcher({ extraCa: root(), ...form });
      assert.equal(await (await fetch(url, { dispatcher })).text(), 'ok client-cert-given\n');
      await dispatcher.close();
    }
    assert.throws(() => tb.agent({ cert: '/nonexistent/client.pem', key: h.pkiPath('mtls/client.key') }),
      { code: 'ERR_TRUSTBUNDLE_IO', message: /nonexistent/ });
  });
});

describe('inject() / extract()', () => {
  test('https.globalAgent and global fetch use trustbundle, then what was there before', async () => {
    const url = `https://localhost:${port('good')}/`;
    const expired = `https://localhost:${port('expired')}/`;
    const originalAgent = https.globalAgent;
    const installed = tb.inject({ extraCa: root() });
    try {
      assert.equal(https.globalAgent, installed.agent);
      assert.equal((await get(url, undefined)).body, 'ok good\n');
      assert.equal(await (await fetch(url)).text(), 'ok good\n');
      await assert.rejects(fetch(expired), (e) => e.cause instanceof tb.VerificationError && e.cause.reason === 'CERT_HAS_EXPIRED');
      await assert.rejects(get(expired, undefined), { reason: 'CERT_HAS_EXPIRED' });
      // Plain http:// through the injected global dispatcher still works (no TLS, nothing to check).
      const counts = await (await fetch(`http://127.0.0.1:${servers.control}/requests`)).json();
      assert.equal(typeof counts.good, 'number');
    } finally {
      assert.equal(tb.extract(), true);
    }
    assert.equal(https.globalAgent, originalAgent);
    assert.equal(tb.extract(), false);
    // Node's defaults again: the test root is not trusted, and the error is Node's.
    await assert.rejects(fetch(url), (e) => !(e.cause instanceof tb.VerificationError));
  });
});

describe('through an HTTP CONNECT proxy (the proxy option)', () => {
  const http = require('node:http');
  const net = require('node:net');
  let proxy;
  let tunnels = 0;
  before(async () => {
    proxy = http.createServer((req, res) => { res.statusCode = 405; res.end(); });
    proxy.on('connect', (req, client, head) => {
      tunnels++;
      const [, portText] = req.url.split(/:(?=\d+$)/);
      const upstream = net.connect(Number(portText), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  });
  after(() => new Promise((r) => proxy.close(r)));

  test('dispatcher() and agent(): the check sees the origin server\'s chain through the tunnel', async () => {
    const proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
    const good = `https://localhost:${port('good')}/`;
    const expired = `https://localhost:${port('expired')}/`;
    const before = { tunnels, expired: await count('expired') };
    const dispatcher = tb.dispatcher({ extraCa: root(), proxy: proxyUrl });
    assert.equal(await (await fetch(good, { dispatcher })).text(), 'ok good\n');
    await assert.rejects(fetch(expired, { dispatcher }), (e) => e.cause instanceof tb.VerificationError && e.cause.reason === 'CERT_HAS_EXPIRED');
    await dispatcher.close();
    const agent = tb.agent({ extraCa: root(), proxy: proxyUrl });
    assert.equal((await get(good, agent)).body, 'ok good\n');
    await assert.rejects(get(expired, agent), { reason: 'CERT_HAS_EXPIRED' });
    agent.destroy();
    assert.ok(tunnels >= before.tunnels + 4, `${tunnels - before.tunnels} tunnels`);
    await sleep(100);
    assert.equal(await count('expired'), before.expired);
    assert.throws(() => tb.dispatcher({ proxy: 'socks5://127.0.0.1:1' }), { code: 'ERR_INVALID_ARG_VALUE' });
  });
});
