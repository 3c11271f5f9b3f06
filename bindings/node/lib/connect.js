'use strict';
// The TLS hook: tls.connect where the core's verify() is the only judge of
// the server's chain, and no application byte is written before it said yes.
//
// How Node decides, and why the hook sits where it does:
// - Node's C++ verify callback accepts every chain; OpenSSL's own verdict is
//   kept (verifyError()) and JS decides after the handshake, in the 'secure'
//   listener that tls.connect installs (onConnectSecure): OpenSSL's error
//   first, checkServerIdentity only when OpenSSL passed and the session was
//   not resumed. A policy put there (checkServerIdentity) is skipped on
//   resumed sessions and reports OpenSSL's text, not the core's reason.
// - 'secure' is emitted synchronously from the handshake-done callback, before
//   TLSWrap flushes the cleartext written so far. So the check runs there,
//   synchronously, in place of Node's listener: on a rejection the socket is
//   destroyed with the VerificationError and Node's listener never runs
//   (no 'secureConnect', and no 'session': Node holds a new session until its
//   listener ran, so a rejected server's session is never cached).
// - OpenSSL's verification is not consulted (rejectUnauthorized: false at the
//   TLS layer, a context with no CAs): the core decides, with the chain as
//   sent, for servername (else host), now, with the extra CAs.
// Failing closed: the socket's _write/_writev/_final hold everything until
// the check has passed on this socket. If the check is never reached, nothing
// is ever written, and a 'secureConnect' without it destroys the socket.

const tls = require('node:tls');
const crypto = require('node:crypto');

const { VerificationError, TrustbundleError } = require('./errors');
const { native } = require('./native');

const MAX_REMEMBERED = 256;

// How long a resumed session's verdict for a host is reused without asking
// the core again (at most; never past a verified certificate's notAfter).
const VERDICT_REUSE_MS = 10 * 60 * 1000;

/**
 * Holds a Store and, for resumption, the chain behind each session it saw
 * issued. A resumed session carries no certificate in Node (TLS 1.3: the
 * peer chain is not in the serialized session, and getPeerCertificate() is
 * empty), so a resumed connection is judged by the chain of the full
 * handshake that issued the session it offered, for this host, now. A
 * session this checker did not see issued is rejected.
 *
 * The core's verdict on a chain depends only on the chain, the host, the
 * (immutable) store and the time, and an accepted chain stays accepted until
 * one of its certificates expires; so a resumed session's acceptance for a
 * host is reused until the earliest notAfter of the verified path, or
 * VERDICT_REUSE_MS, whichever comes first. Rejections are never reused.
 */
class Checker {
  constructor(store) {
    this.store = store;
    this.sessions = new Map();  // sha256 of a session -> {chain, accepted: Map(host -> until ms)}
  }

  // The chain the server sent, leaf first: as OpenSSL received it when the
  // handshake context recorded it, else from getPeerCertificate(true).
  sentChain(socket) {
    const leaf = socket.getPeerX509Certificate();
    const sent = leaf === undefined ? null : native().sentChain(leaf.raw);
    return sent === null ? peerChain(socket.getPeerCertificate(true)) : sent;
  }

  // Returns {chain, entry}: the chain to judge, and for a resumed session its
  // entry; throws when there is none.
  chainOf(socket, offeredSession) {
    if (socket.isSessionReused()) {
      const entry = offeredSession ? this.sessions.get(fingerprint(offeredSession)) : undefined;
      if (entry === undefined) {
        throw new TrustbundleError('trustbundle: the server resumed a session this client has no verified chain for',
          { code: 'ERR_TRUSTBUNDLE_UNKNOWN_SESSION' });
      }
      return { chain: entry.chain, entry };
    }
    const chain = this.sentChain(socket);
    if (chain.length === 0) {
      throw new TrustbundleError('trustbundle: the server sent no certificate', { code: 'ERR_TLS_CERT_MISSING' });
    }
    return { chain, entry: null };
  }

  // Returns the session entry to remember new sessions under, or throws the
  // core's VerificationError.
  check(socket, host, offeredSession) {
    const { chain, entry } = this.chainOf(socket, offeredSession);
    const now = Date.now();
    if (entry !== null && entry.accepted.get(host) > now) return entry;
    const verified = this.store.verifySync(chain, { host });
    if (entry === null) return { chain, verified, accepted: new Map() };
    // Resumed: the acceptance is reused from now on (parsing the dates costs
    // more than a full handshake can spare, so it is done here, not there).
    entry.accepted.set(host, Math.min(now + VERDICT_REUSE_MS, earliestNotAfter(verified)));
    return entry;
  }

  rememberSession(session, entry) {
    const key = fingerprint(session);
    this.sessions.delete(key);
    this.sessions.set(key, entry);
    if (this.sessions.size > MAX_REMEMBERED) this.sessions.delete(this.sessions.keys().next().value);
  }
}

// The earliest notAfter (ms) of a verified path; 0 (reuse nothing) if unreadable.
function earliestNotAfter(ders) {
  let earliest = Infinity;
  for (const der of ders) {
    const t = Date.parse(new crypto.X509Certificate(der).validTo);
    if (!Number.isFinite(t)) return 0;
    earliest = Math.min(earliest, t);
  }
  return earliest === Infinity ? 0 : earliest;
}

function fingerprint(der) {
  return crypto.createHash('sha256').update(der).digest('hex');
}

// The certificates of getPeerCertificate(true), leaf first, following the
// issuer links once each (a self-signed root links to itself). Node builds
// them from what the server sent (the context has no CAs, so nothing of a
// local store is appended), but may drop some when they came out of order.
function peerChain(leaf) {
  const out = [];
  const seen = new Set();
  for (let c = leaf; c && c.raw && !seen.has(c); c = c.issuerCertificate) {
    seen.add(c);
    out.push(c.raw);
  }
  return out;
}

// Holds the socket's writes (and its end) until release() is called.
function gateWrites(socket) {
  const held = [];
  let open = false;
  for (const method of ['_write', '_writev', '_final']) {
    const original = socket[method];
    if (typeof original !== 'function') continue;
    socket[method] = function gated(...args) {
      if (open) return original.apply(this, args);
      held.push(() => original.apply(this, args));
      return undefined;
    };
  }
  return function release() {
    open = true;
    for (const run of held.splice(0)) run();
  };
}

function hookNotReached() {
  return new TrustbundleError(
    'trustbundle: the TLS connection completed without the certificate check; refusing it',
    { code: 'ERR_TRUSTBUNDLE_CHECK_NOT_RUN' });
}

/**
 * tls.connect(options) whose chain is judged by checker (a Checker). The name
 * checked is options.servername, else options.host (as Node does).
 * options.rejectUnauthorized and options.checkServerIdentity have no effect.
 */
function connect(options, checker, secureContext) {
  const host = options.servername || options.host || 'localhost';
  const socket = tls.connect({
    ...options,
    secureContext,
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  });
  const release = gateWrites(socket);
  const nodeListeners = socket.listeners('secure');
  socket.removeAllListeners('secure');
  let checked = false;
  socket.on('secure', function onSecure() {
    let entry;
    try {
      entry = checker.check(this, host, options.session);
    } catch (err) {
      this.destroy(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    checked = true;
    // Node emits 'session' only after its listener below ran, i.e. after
    // this check passed: sessions of rejected servers are never remembered.
    this.on('session', (session) => checker.rememberSession(session, entry));
    // OpenSSL's verdict is not consulted (with the chain recorder installed
    // it is a success, without it a failure: the context has no CAs). Node's
    // listener then reports the socket authorized, emits 'secureConnect' and
    // releases the new session.
    if (this._handle) this._handle.verifyError = () => null;
    for (const listener of nodeListeners) listener.call(this);
    if (!this.destroyed) release();  // Node's listener may still refuse (minDHSize)
  });
  socket.prependListener('secureConnect', function guard() {
    if (!checked) this.destroy(hookNotReached());
  });
  return socket;
}

module.exports = { Checker, connect, peerChain, VerificationError };
