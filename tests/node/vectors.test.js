'use strict';
// The shared vectors (tests/vectors/verify.json), every case through the public
// API: Store.verifySync, Store.verify (the thread pool) and, where the trust
// form allows it, the top-level verify()/verifySync(). The contract is the C++
// runner's: ok, reason name, depth and chain length must match exactly; an
// unknown kind, trust form, purpose or expected error fails the case.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { X509Certificate } = require('node:crypto');
const { test, describe } = require('node:test');

const h = require('./helpers');

const tb = h.loadPackage();
const { cases } = JSON.parse(fs.readFileSync(h.VECTORS, 'utf8'));

class UnknownForm extends Error {}

// Runs fn with TRUSTBUNDLE_EXTRA_CA_CERTS set (or unset), then restores it.
async function withEnv(value, fn) {
  const saved = process.env.TRUSTBUNDLE_EXTRA_CA_CERTS;
  if (value === undefined) delete process.env.TRUSTBUNDLE_EXTRA_CA_CERTS;
  else process.env.TRUSTBUNDLE_EXTRA_CA_CERTS = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.TRUSTBUNDLE_EXTRA_CA_CERTS;
    else process.env.TRUSTBUNDLE_EXTRA_CA_CERTS = saved;
  }
}

// The store of a trust form, plus the options that give the same trust to the
// top-level verify() (null when it cannot express the form), plus the env value.
function trustOf(trust) {
  if (trust === null || typeof trust !== 'object' || Array.isArray(trust)) throw new UnknownForm(`trust form ${JSON.stringify(trust)}`);
  const keys = Object.keys(trust);
  if (keys.length === 0) return { store: () => new tb.Store(), topLevel: {}, env: undefined };
  if (keys.length !== 1) throw new UnknownForm(`trust form with several keys ${JSON.stringify(trust)}`);
  const [key] = keys;
  const value = trust[key];
  if ((key === 'extra_ca' || key === 'roots') && Array.isArray(value) && value.length > 0) {
    const paths = value.map(h.pkiPath);
    if (key === 'extra_ca') {
      return {
        store: () => {
          const s = new tb.Store({ extraCa: paths });
          assert.ok(s.extraCount >= paths.length);
          return s;
        },
        topLevel: { extraCa: paths },
        env: undefined,
      };
    }
    return { store: () => new tb.Store({ extraCa: paths, mozilla: false, env: false }), topLevel: null, env: undefined };
  }
  if (key === 'env_extra_ca' && typeof value === 'string') {
    return {
      store: () => {
        const s = new tb.Store();
        assert.equal(s.extraCount, 1, "the variable's CA was not added");
        return s;
      },
      topLevel: {},
      env: h.pkiPath(value),
    };
  }
  if (key === 'roots_certdata' && typeof value === 'string') {
    return { store: () => new tb.Store({ extraCa: h.pkiPath(value), mozilla: false, env: false }), topLevel: null, env: undefined };
  }
  throw new UnknownForm(`trust form ${JSON.stringify(trust)}`);
}

function checkVerdict(how, expect, run, leafPem) {
  return run().then(
    (verified) => {
      assert.ok(expect.ok, `${how}: accepted, expected ${expect.reason} at depth ${expect.depth}`);
      assert.equal(expect.reason, 'OK');
      assert.equal(expect.depth, -1);
      assert.ok('chain_length' in expect, 'an accepted case must give chain_length');
      assert.equal(verified.length, expect.chain_length, `${how}: chain length`);
      for (const der of verified) assert.ok(Buffer.isBuffer(der) && der[0] === 0x30);
      assert.ok(verified[0].equals(new X509Certificate(leafPem).raw), `${how}: the verified chain starts at our leaf`);
    },
    (e) => {
      if (!(e instanceof tb.VerificationError)) throw e;
      assert.deepEqual([false, e.reason, e.depth], [expect.ok, expect.reason, expect.depth], `${how}: ${e.message}`);
      assert.equal(e.code, tb.tlsCode(e.reason, e.opensslCode, e.depth), `${how}: code`);
      assert.ok(e.hint && !e.hint.includes('\n'), `${how}: every rejection has a one-line hint`);
      assert.ok(e.opensslCode !== 0 || e.reason === 'ROOT_DISTRUSTED');
      assert.equal(e.status, null);
    },
  );
}

async function runVerify(c) {
  if (c.purpose !== 'server' && c.purpose !== 'client') throw new UnknownForm(`purpose ${JSON.stringify(c.purpose)}`);
  const trust = trustOf(c.trust);
  const chain = h.pemBlocks(...c.chain);
  const opts = { host: c.host === null ? undefined : c.host, at: c.at, purpose: c.purpose };
  await withEnv(trust.env, async () => {
    const store = trust.store();
    await checkVerdict('Store.verifySync', c.expect, async () => store.verifySync(chain, opts), chain[0]);
    await checkVerdict('Store.verify', c.expect, () => store.verify(chain, opts), chain[0]);
    // One buffer holding the whole PEM chain is the same input.
    await checkVerdict('Store.verifySync(one buffer)', c.expect, async () => store.verifySync(Buffer.from(chain.join('')), opts), chain[0]);
    if (trust.topLevel !== null) {
      const o = { ...opts, ...trust.topLevel };
      await checkVerdict('verify', c.expect, () => tb.verify(chain, o), chain[0]);
      await checkVerdict('verifySync', c.expect, async () => tb.verifySync(chain, o), chain[0]);
    }
  });
}

function runKeyPair(c) {
  const cert = h.read(c.cert);
  const key = h.read(c.key);
  const expect = c.expect;
  if ('error' in expect) {
    if (expect.error !== 'PASSPHRASE') throw new UnknownForm(`expected error ${JSON.stringify(expect.error)}`);
    assert.throws(() => tb.checkKeyPair(cert, key, c.passphrase, { at: c.at }), (e) => {
      assert.ok(e instanceof tb.TrustbundleError);
      assert.equal(e.code, 'ERR_TRUSTBUNDLE_PASSPHRASE');
      assert.equal(e.status, 'PASSPHRASE');
      return true;
    });
    return;
  }
  const got = tb.checkKeyPair(cert, key, c.passphrase, { at: c.at });
  assert.deepEqual([got.match, got.clientAuth, got.valid], [expect.match, expect.client_auth, expect.valid]);
  assert.equal(got.ok, expect.match && expect.client_auth && expect.valid);
}

async function runCase(c) {
  if (c.kind === 'verify') return runVerify(c);
  if (c.kind === 'key_pair') return runKeyPair(c);
  throw new UnknownForm(`kind ${JSON.stringify(c.kind)}`);
}

describe('shared vectors', () => {
  for (const c of cases) {
    test(c.name, () => runCase(c));
  }

  test('every case has a unique name, and there are all of them', () => {
    const names = cases.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.length >= 47);
  });

  test('the runner fails unknown forms instead of passing them', async () => {
    for (const bad of [{ roots_foo: ['root.pem'] }, { extra_ca: [] }, ['root.pem'], { extra_ca: ['a'], roots: ['b'] }]) {
      assert.throws(() => trustOf(bad), UnknownForm);
    }
    await assert.rejects(runCase({ name: 'x', kind: 'mystery' }), UnknownForm);
    const base = cases.find((c) => c.kind === 'verify');
    await assert.rejects(runCase({ ...base, purpose: 'email' }), UnknownForm);
    const pair = cases.find((c) => c.kind === 'key_pair');
    await assert.rejects(runCase({ ...pair, expect: { error: 'SOMETHING_NEW' } }), UnknownForm);
  });
});
