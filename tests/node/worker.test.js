'use strict';
// worker_threads: the addon loads in workers (it is a context-aware Node-API
// module), verifies chains and creates stores and secure contexts there,
// several workers and the main thread at once, and a worker terminated with
// verifications in flight takes nothing down. The OpenSSL the core calls is
// the node process's own, shared by every thread (README, "OpenSSL").

const assert = require('node:assert/strict');
const https = require('node:https');
const { Worker } = require('node:worker_threads');
const { test, describe, before, after } = require('node:test');

const h = require('./helpers');

const tb = h.loadPackage();

// Runs `body` (the text of an async function taking (tb, data)) in a Worker;
// resolves to what it returns.
function inWorker(body, data = {}, options = {}) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const tb = require(workerData.pkg);
    (async (tb, data) => { ${body} })(tb, workerData.data).then(
      (value) => parentPort.postMessage({ value }),
      (e) => parentPort.postMessage({ error: { message: e.message, code: e.code, reason: e.reason, name: e.name } }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { pkg: h.PACKAGE_DIR, data }, ...options });
    worker.once('message', (m) => {
      if (m.error) reject(Object.assign(new Error(m.error.message), m.error));
      else resolve(m.value);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`worker exited with ${code}`)); });
  });
}

const AT = '2026-06-01T00:00:00Z';

describe('worker threads', () => {
  let chain;
  let expired;
  before(() => {
    chain = h.pemBlocks('valid/leaf.pem', 'valid/intermediate.pem');
    expired = h.pemBlocks('expired/leaf.pem', 'intermediate.pem');
  });

  test('load, build stores, verify (sync and async), check keys, make contexts in a worker', async () => {
    const got = await inWorker(`
      const store = new tb.Store({ extraCa: data.root });
      const sync = store.verifySync(data.chain, { host: 'a.example.test', at: data.at });
      const asyncChain = await tb.verify(data.chain, { host: 'a.example.test', at: data.at, extraCa: data.root });
      let rejected = null;
      try { await store.verify(data.expired, { host: 'a.example.test', at: data.at }); } catch (e) { rejected = [e.name, e.code, e.reason, e.depth]; }
      const ctx = tb.secureContext({ extraCa: data.root });
      const pair = tb.checkKeyPair(data.cert, data.key, null, { at: data.at });
      return {
        bundleVersion: tb.bundleVersion, roots: tb.roots().length, extra: store.extraCount,
        sync: sync.length, async: asyncChain.length, rejected,
        memoized: ctx === tb.secureContext({ extraCa: data.root }), pair: pair.ok,
      };`, {
      root: h.pkiPath('root.pem'), chain, expired, at: AT,
      cert: h.pkiPath('mtls/client.pem'), key: h.pkiPath('mtls/client.key'),
    });
    assert.deepEqual(got, {
      bundleVersion: tb.bundleVersion, roots: tb.roots().length, extra: 1, sync: 3, async: 3,
      rejected: ['VerificationError', 'CERT_HAS_EXPIRED', 'CERT_HAS_EXPIRED', 0], memoized: true, pair: true,
    });
  });

  test('four workers and the main thread verify at the same time', async () => {
    const body = `
      const store = new tb.Store({ extraCa: data.root });
      let ok = 0, expired = 0;
      const jobs = [];
      for (let i = 0; i < 40; i++) {
        jobs.push(store.verify(data.chain, { host: 'a.example.test', at: data.at }).then(() => ok++));
        jobs.push(tb.verify(data.expired, { at: data.at, extraCa: data.root }).catch((e) => { if (e.code === 'CERT_HAS_EXPIRED') expired++; }));
        store.verifySync(data.chain, { at: data.at });
      }
      await Promise.all(jobs);
      return { ok, expired };`;
    const data = { root: h.pkiPath('root.pem'), chain, expired, at: AT };
    const workers = [1, 2, 3, 4].map(() => inWorker(body, data));
    const store = new tb.Store({ extraCa: h.pkiPath('root.pem') });
    const main = [];
    for (let i = 0; i < 100; i++) main.push(store.verify(chain, { host: 'a.example.test', at: AT }));
    const results = await Promise.all(workers);
    assert.equal((await Promise.all(main)).length, 100);
    for (const r of results) assert.deepEqual(r, { ok: 40, expired: 40 });
  });

  test("a worker's own process.env is the TRUSTBUNDLE_EXTRA_CA_CERTS it sees", async () => {
    const got = await inWorker(`
      process.env.TRUSTBUNDLE_EXTRA_CA_CERTS = data.root;   // the worker's copy of the environment
      const withEnv = new tb.Store().extraCount;
      delete process.env.TRUSTBUNDLE_EXTRA_CA_CERTS;
      return { withEnv, without: new tb.Store().extraCount };`, { root: h.pkiPath('root.pem') });
    assert.deepEqual(got, { withEnv: 1, without: 0 });
    assert.equal(new tb.Store().extraCount, 0, "the main thread's environment is untouched");
  });

  test('terminating a worker with verifications in flight', async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const tb = require(workerData.pkg);
      const store = new tb.Store({ extraCa: workerData.root });
      for (let i = 0; i < 500; i++) store.verify(workerData.chain, { at: workerData.at }).catch(() => {});
      for (let i = 0; i < 50; i++) tb.verify(workerData.chain, { at: workerData.at, extraCa: workerData.root }).catch(() => {});
      parentPort.postMessage('queued');`;
    for (let round = 0; round < 3; round++) {
      const worker = new Worker(source, { eval: true, workerData: { pkg: h.PACKAGE_DIR, root: h.pkiPath('root.pem'), chain, at: AT } });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      assert.equal(await worker.terminate(), 1);
    }
    // The process and the main thread's addon are fine.
    const verified = await tb.verify(chain, { at: AT, extraCa: h.pkiPath('root.pem') });
    assert.equal(verified.length, 3);
  });

  describe('https from a worker', () => {
    let server;
    let port;
    before(async () => {
      const cert = h.read('server-localhost/fullchain.pem');
      const key = h.read('server-localhost/leaf.key');
      server = https.createServer({ cert, key }, (req, res) => res.end('worker ok'));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = server.address().port;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    test('agent() inside a worker connects; without the CA it fails with the typed code', async () => {
      const got = await inWorker(`
        const https = require('node:https');
        const get = (agent) => new Promise((resolve) => {
          https.get({ host: 'localhost', port: data.port, agent }, (res) => {
            let body = ''; res.on('data', (d) => body += d); res.on('end', () => resolve(body));
          }).on('error', (e) => resolve(e.code));
        });
        const a = tb.agent({ extraCa: data.root }), b = tb.agent();
        const out = { trusted: await get(a), untrusted: await get(b) };
        a.destroy(); b.destroy();
        return out;`, { root: h.pkiPath('root.pem'), port });
      assert.deepEqual(got, { trusted: 'worker ok', untrusted: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    });
  });
});
