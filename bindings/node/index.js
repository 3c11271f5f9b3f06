'use strict';
// trustbundle: Mozilla's curated TLS server roots, certifi-compatible, plus TLS
// contexts that cost nothing after the first, chain verification with typed
// reasons (off the main thread), mTLS key checks and extra/corporate CAs.
//
// require('trustbundle') loads no native code and no heavy built-in module:
// the addon is loaded on first use of something that needs it, tls with the
// first secure context, so where() costs a stat.
//
// Exports are assigned one by one (`exports.name = ...`) so that Node's
// ES-module loader sees their names: `import { verify } from 'trustbundle'`.

const errors = require('./lib/errors');
const verifyModule = require('./lib/verify');

let bundleModule = null;
let contextModule = null;
const bundle = () => bundleModule || (bundleModule = require('./lib/bundle'));
const context = () => contextModule || (contextModule = require('./lib/context'));
const native = () => require('./lib/native').native();

/** Path of Mozilla's roots as one PEM file, certifi's cacert.pem. */
function where() { return bundle().where(); }
/** Path of a hashed CA directory (`openssl rehash` names) holding the same roots. */
function whereCapath() { return bundle().whereCapath(); }
/** The bundle's text: the contents of where(). */
function pem() { return bundle().pem(); }
/** The embedded roots with their metadata, in Mozilla's certdata order. */
function roots() { return bundle().roots(); }
/** A tls.SecureContext trusting Mozilla's roots + extraCa + TRUSTBUNDLE_EXTRA_CA_CERTS, memoized. */
function secureContext(options) { return context().secureContext(options); }
/** An https.Agent that accepts a server iff verify() accepts the chain it sent (keepAlive on). */
function agent(options) { return require('./lib/agent').agent(options); }
/** tls.connect() with the same check as agent(). */
function connect(options, callback) { return require('./lib/agent').connect(options, callback); }
/** An undici Agent for fetch/undici with the same check as agent(). */
function dispatcher(options) { return require('./lib/dispatcher').dispatcher(options); }
/** Makes https.globalAgent and the global dispatcher (global fetch) trustbundle's; returns them. */
function inject(options) { return require('./lib/inject').inject(options); }
/** Undoes inject(). */
function extract() { return require('./lib/inject').extract(); }
/** The doctor: connects to target and says whether, and why not, its chain verifies (async). */
function diagnose(target, options) { return require('./lib/doctor').diagnose(target, options); }
/**
 * Whole days from bundleAsOf to `at` (a Date, milliseconds or an RFC 3339
 * string; default now), 0 before it. Past 180 days the bundle is stale.
 */
function bundleAgeDays(at) {
  const seconds = require('./lib/inputs').seconds(at);
  return native().bundleAgeDays(seconds === undefined ? Math.floor(Date.now() / 1000) : seconds);
}
/** Forgets the memoized secure contexts. */
function clearSecureContexts() { context().clearContexts(); }

exports.where = where;
exports.whereCapath = whereCapath;
exports.pem = pem;
exports.roots = roots;
exports.secureContext = secureContext;
exports.agent = agent;
exports.connect = connect;
exports.dispatcher = dispatcher;
exports.inject = inject;
exports.extract = extract;
exports.diagnose = diagnose;
exports.bundleAgeDays = bundleAgeDays;
exports.clearSecureContexts = clearSecureContexts;
exports.Store = verifyModule.Store;
exports.verify = verifyModule.verify;
exports.verifySync = verifyModule.verifySync;
exports.checkKeyPair = verifyModule.checkKeyPair;
exports.TrustbundleError = errors.TrustbundleError;
exports.VerificationError = errors.VerificationError;
exports.tlsCode = errors.tlsCode;
exports.version = require('./package.json').version;

// Computed on first access (they need the addon). With `import`, read them
// from the default export: `import tb from 'trustbundle'; tb.bundleVersion`.
Object.defineProperties(module.exports, {
  /** The roots as PEM strings, shaped like tls.rootCertificates. */
  rootCertificates: { enumerable: true, get: () => bundle().rootCertificates() },
  /** "<NSS version>/<as_of>" of the embedded bundle. */
  bundleVersion: { enumerable: true, get: () => native().bundleVersion },
  /** The instant Mozilla's data was curated at (a Date), the bundle's as_of. */
  bundleAsOf: { enumerable: true, get: () => new Date(native().bundleAsOf * 1000) },
  /** The version of the native core loaded. */
  libraryVersion: { enumerable: true, get: () => native().version },
});
