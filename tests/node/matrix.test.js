'use strict';
// The shared real-client matrix (tests/matrix/README.md): every scenario
// through Node's https (trustbundle.agent()), global fetch and undici's
// request (trustbundle.dispatcher()), and axios (httpsAgent:
// trustbundle.agent()), against tests/matrix/serve.py on 127.0.0.1.

const assert = require('node:assert/strict');
const https = require('node:https');
const path = require('node:path');
const { createRequire } = require('node:module');
const { test, describe, before, after } = require('node:test');

const h = require('./helpers');
const matrix = require('./matrix-server');

const tb = h.loadPackage();
// The clients are the package's devDependencies (ci/test-node installs them).
const devRequire = createRequire(path.join(h.REPO, 'bindings', 'node', 'package.json'));
const undici = devRequire('undici');
const axios = devRequire('axios');

function readBody(res) {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d) => { body += d; });
    res.on('end', () => resolve(body));
    res.on('error', reject);
  });
}

// Each client: (url, trust options) -> {status, body}, or rejects with its own error.
const CLIENTS = {
  https: async (url, options) => {
    const agent = tb.agent(options);
    try {
      return await new Promise((resolve, reject) => {
        const req = https.get(url, { agent }, (res) => {
          readBody(res).then((body) => resolve({ status: res.statusCode, body }), reject);
        });
        req.on('error', reject);
        req.setTimeout(10000, () => req.destroy(new Error('timed out')));
      });
    } finally {
      agent.destroy();
    }
  },
  fetch: async (url, options) => {
    const dispatcher = tb.dispatcher(options);
    try {
      const res = await fetch(url, { dispatcher });
      return { status: res.status, body: await res.text() };
    } finally {
      await dispatcher.close();
    }
  },
  undici: async (url, options) => {
    const dispatcher = tb.dispatcher(options);
    try {
      const res = await undici.request(url, { dispatcher });
      return { status: res.statusCode, body: await res.body.text() };
    } finally {
      await dispatcher.close();
    }
  },
  axios: async (url, options) => {
    const httpsAgent = tb.agent(options);
    try {
      const res = await axios.get(url, { httpsAgent, proxy: false, responseType: 'text', timeout: 10000 });
      return { status: res.status, body: res.data };
    } finally {
      httpsAgent.destroy();
    }
  },
};

// The error itself or one of its causes that is trustbundle's, else null.
function verificationErrorIn(err) {
  for (let e = err, i = 0; e && i < 8; e = e.cause, i++) {
    if (e instanceof tb.VerificationError) return e;
  }
  return null;
}

function trustOptions(scenario) {
  const options = { extraCa: scenario.extra_ca.map((rel) => h.pkiPath(rel)) };
  if (scenario.client_cert) {
    // Paths, as the contract gives them: agent() and dispatcher() read them.
    options.cert = h.pkiPath(scenario.client_cert.cert);
    options.key = h.pkiPath(scenario.client_cert.key);
  }
  return options;
}

// verify() of the served chain, as the contract's step 1: {reason, depth, hint}.
async function expected(scenario) {
  try {
    await tb.verify(h.pemBlocks(scenario.served), {
      host: scenario.host,
      extraCa: scenario.extra_ca.map((rel) => h.pkiPath(rel)),
    });
    return { reason: 'OK' };
  } catch (e) {
    assert.ok(e instanceof tb.VerificationError, `verify() threw ${e}`);
    return { reason: e.reason, depth: e.depth, hint: e.hint, code: e.code };
  }
}

describe('real-client matrix (tests/matrix)', () => {
  let servers;
  before(async () => { servers = await matrix.start(); });
  after(() => servers && servers.stop());

  assert.deepEqual(matrix.SCENARIOS.clients.node, Object.keys(CLIENTS));

  for (const scenario of matrix.SCENARIOS.scenarios) {
    describe(scenario.name, () => {
      let verdict;
      before(async () => { verdict = await expected(scenario); });

      test('verify() of the served chain gives the contract\'s reason', () => {
        assert.equal(verdict.reason, scenario.expect.verify);
      });

      for (const [client, run] of Object.entries(CLIENTS)) {
        test(client, async () => {
          const url = `https://${scenario.host}:${servers.ports[scenario.name]}/`;
          const before = (await servers.requests())[scenario.name];
          let outcome;
          try {
            outcome = { ok: await run(url, trustOptions(scenario)) };
          } catch (err) {
            outcome = { err };
          }
          const sent = (await servers.requests())[scenario.name] - before;
          if (scenario.expect.connects) {
            assert.ok(outcome.ok, `${client} failed: ${outcome.err && outcome.err.stack}`);
            assert.equal(outcome.ok.status, 200);
            assert.equal(outcome.ok.body, `ok ${scenario.name}\n`);
            assert.equal(sent, 1);
            return;
          }
          assert.ok(outcome.err, `${client} connected to ${scenario.name}`);
          const ve = verificationErrorIn(outcome.err);
          if (scenario.expect.verify === 'OK') {
            // Refused by the server (no client certificate): not our verdict.
            assert.equal(ve, null, `a verification error for ${scenario.name}: ${ve}`);
            return;
          }
          assert.ok(ve, `${client}: no VerificationError in ${outcome.err.stack}`);
          assert.equal(ve.reason, verdict.reason);
          assert.equal(ve.depth, verdict.depth);
          assert.equal(ve.code, verdict.code);
          assert.ok(ve.hint.length > 0);
          assert.equal(ve.hint, verdict.hint);
          assert.ok(ve.message.includes(ve.hint));
          assert.equal(sent, 0, `${sent} request(s) reached a rejected server`);
        });
      }
    });
  }
});
