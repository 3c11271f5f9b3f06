'use strict';
// The options of a verifying client (connect(), agent(), dispatcher()):
// which go to the store (extraCa, env), to the TLS context (cert, key, ...),
// and to the client itself; anything else is rejected, and so is any attempt
// to turn verification off.

const context = require('./context');
const inputs = require('./inputs');
const { Store } = require('./verify');
const { Checker } = require('./connect');

// tls.connect options a verifying client passes through.
const CONNECT_KEYS = ['servername', 'minDHSize', 'highWaterMark', 'family', 'hints', 'localAddress', 'localPort',
                      'lookup', 'noDelay', 'keepAlive', 'keepAliveInitialDelay', 'timeout', 'autoSelectFamily',
                      'autoSelectFamilyAttemptTimeout', 'session', 'ALPNProtocols', 'signal', 'socket', 'host', 'port',
                      'path', 'enableTrace', 'requestOCSP'];

function refuseWeakening(o, label) {
  if (o.rejectUnauthorized === false) {
    throw inputs.argError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `${label}: rejectUnauthorized: false is not accepted; trustbundle always verifies (trust your CA with extraCa)`);
  }
  if (o.checkServerIdentity !== undefined) {
    throw inputs.argError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `${label}: checkServerIdentity is not accepted; the name is checked by trustbundle's verification`);
  }
}

/**
 * Splits a verifying client's options: {checker, secureContext, rest}. The
 * extra CAs (extraCa, TRUSTBUNDLE_EXTRA_CA_CERTS, NODE_EXTRA_CA_CERTS) are
 * read now; an unreadable one is an error naming it. allowed: the names the
 * client takes besides those (rejectUnauthorized: true is accepted and
 * dropped).
 */
function clientOptions(opts, allowed, label) {
  const o = inputs.options(opts);
  context.rejectCa(o);
  refuseWeakening(o, label);
  const { own, context: contextOptions, rest } = context.splitOptions(o);
  delete rest.rejectUnauthorized;
  for (const name of Object.keys(rest)) {
    if (!allowed.has(name)) {
      throw inputs.argError(TypeError, 'ERR_INVALID_ARG_VALUE',
        `${label}: unknown option ${JSON.stringify(name)} (see the README for the options it takes)`);
    }
  }
  return { checker: new Checker(storeFor(own)), secureContext: context.handshakeContext(contextOptions), rest };
}

// Stores are immutable: one per distinct set of extra CAs is reused, so that
// making agents costs no re-parsing (NODE_EXTRA_CA_CERTS may name a whole
// system bundle). Keyed like secureContext()'s sources; a source that just
// changed, or cannot be stat'ed, gets a fresh store (whose errors name it).
const MAX_STORES = 16;
const stores = new Map();

function storeFor(own) {
  const env = own.env === undefined ? true : Boolean(own.env);
  const key = context.sourcesKey(inputs.caSources(own.extraCa, env));
  const hit = key === null ? undefined : stores.get(key);
  if (hit !== undefined) return hit;
  const store = new Store({ extraCa: own.extraCa, env });
  if (key !== null) {
    stores.set(key, store);
    if (stores.size > MAX_STORES) stores.delete(stores.keys().next().value);
  }
  return store;
}

module.exports = { clientOptions, CONNECT_KEYS };
