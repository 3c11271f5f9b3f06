'use strict';
// Stores, chain verification (async on the libuv pool, and sync) and mTLS key checks.

const { native } = require('./native');
const { VerificationError, fromNative } = require('./errors');

// Argument conversion, loaded on first use: require('trustbundle') loads this
// module for the Store class, and stays cheap.
let inputsModule = null;
const inputs = () => inputsModule || (inputsModule = require('./inputs'));

const STORE = Symbol('trustbundle.store');

function request(chain, opts) {
  const o = inputs().options(opts);
  const name = inputs().host(o.host);
  return {
    chain: inputs().chainBuffers(chain),
    name,
    native: { host: name, at: inputs().seconds(o.at), purpose: inputs().purpose(o.purpose) },
  };
}

// A verdict into the verified chain (DER buffers, leaf first) or a VerificationError.
function outcome(result, name) {
  if (result.ok) return result.chain;
  throw new VerificationError({
    reason: result.reasonName,
    reasonCode: result.reason,
    depth: result.depth,
    message: result.message,
    hint: result.hint,
    opensslCode: result.opensslCode,
    host: name === undefined ? null : name,
  });
}

/**
 * A set of trust anchors: Mozilla's roots (parsed only when a verification
 * needs one) plus extra CAs. Immutable; reuse it for many verifications.
 */
class Store {
  constructor(opts) {
    const o = inputs().options(opts);
    const mozilla = o.mozilla === undefined ? true : Boolean(o.mozilla);
    const env = o.env === undefined ? true : Boolean(o.env);
    const sources = inputs().caSources(o.extraCa, env);
    try {
      this[STORE] = native().storeNew(inputs().storeSpec(sources, mozilla));
    } catch (e) {
      throw fromNative(e, sources);
    }
  }

  /** Anchors besides the embedded roots (extraCa and TRUSTBUNDLE_EXTRA_CA_CERTS). */
  get extraCount() {
    return native().storeExtraCount(this[STORE]);
  }

  /** Those anchors as one PEM text ('' when none). */
  extraPem() {
    return native().storeExtraPem(this[STORE]);
  }

  /** Verifies on the libuv thread pool; resolves to the verified chain (DER, leaf first). */
  verify(chain, opts) {
    let req;
    try {
      req = request(chain, opts);
    } catch (e) {
      return Promise.reject(e);
    }
    return native().verify(this[STORE], null, req.chain, req.native)
      .then((result) => outcome(result, req.name), (e) => { throw fromNative(e); });
  }

  /** The same, on the calling thread. */
  verifySync(chain, opts) {
    const req = request(chain, opts);
    let result;
    try {
      result = native().verifySync(this[STORE], null, req.chain, req.native);
    } catch (e) {
      throw fromNative(e);
    }
    return outcome(result, req.name);
  }
}

/**
 * Verifies a chain against Mozilla's roots + extraCa + TRUSTBUNDLE_EXTRA_CA_CERTS,
 * off the main thread (the store is built there too: files are read there).
 */
function verify(chain, opts) {
  let req;
  let sources;
  try {
    const o = inputs().options(opts);
    req = request(chain, o);
    sources = inputs().caSources(o.extraCa, true);
  } catch (e) {
    return Promise.reject(e);
  }
  return native().verify(null, inputs().storeSpec(sources), req.chain, req.native)
    .then((result) => outcome(result, req.name), (e) => { throw fromNative(e, sources); });
}

/** verify(), on the calling thread (the store lives for this one call). */
function verifySync(chain, opts) {
  const o = inputs().options(opts);
  const req = request(chain, o);
  const sources = inputs().caSources(o.extraCa, true);
  let result;
  try {
    result = native().verifySync(null, inputs().storeSpec(sources), req.chain, req.native);
  } catch (e) {
    throw fromNative(e, sources);
  }
  return outcome(result, req.name);
}

/**
 * Checks an mTLS client certificate against its private key: does the key
 * belong to it, may it do TLS client auth, is it valid at `at` (default now).
 */
function checkKeyPair(cert, key, passphrase, opts) {
  if (passphrase !== undefined && passphrase !== null && typeof passphrase === 'object' && !(passphrase instanceof Uint8Array) && opts === undefined) {
    opts = passphrase;  // checkKeyPair(cert, key, {at})
    passphrase = undefined;
  }
  const o = inputs().options(opts);
  const certData = inputs().readInput(cert, 'cert');
  const keyData = inputs().readInput(key, 'key');
  let pass = null;
  if (passphrase instanceof Uint8Array) pass = Buffer.from(passphrase).toString('utf8');
  else if (typeof passphrase === 'string') pass = passphrase;
  else if (passphrase !== undefined && passphrase !== null) {
    throw inputs().argError(TypeError, 'ERR_INVALID_ARG_TYPE', 'passphrase: expected a string or a Buffer');
  }
  const at = inputs().seconds(o.at);
  let r;
  try {
    r = native().checkKeyPair(certData, keyData, pass, at === undefined ? null : at);
  } catch (e) {
    throw fromNative(e);
  }
  return Object.freeze({
    match: r.match,
    clientAuth: r.clientAuth,
    valid: r.valid,
    ok: r.match && r.clientAuth && r.valid,
    notBefore: new Date(r.notBefore * 1000),
    notAfter: new Date(r.notAfter * 1000),
  });
}

module.exports = { Store, verify, verifySync, checkKeyPair };
