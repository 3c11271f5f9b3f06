'use strict';
// The errors trustbundle throws, and the mapping from the core's statuses and
// verification reasons to Node's vocabulary.

/**
 * Base class of every error trustbundle throws.
 * code: 'ERR_TRUSTBUNDLE_<STATUS>' for a failed core call (PARSE, IO, LIMIT,
 * PASSPHRASE, INVALID_ARGUMENT, NOT_FOUND, INTERNAL), or Node's tls code for a
 * VerificationError. status: the core's status name, or null.
 */
class TrustbundleError extends Error {
  constructor(message, { code, status = null, opensslCode = 0, path, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TrustbundleError';
    this.code = code || (status ? `ERR_TRUSTBUNDLE_${status}` : 'ERR_TRUSTBUNDLE');
    this.status = status;
    this.opensslCode = opensslCode;
    if (path !== undefined) this.path = path;
  }
}

// The shared reason names (trustbundle_reason_name) in Node's tls vocabulary:
// err.code is what Node's own TLS client reports when a connection fails the
// same way (checked against real handshakes in tests/node/tls.test.js):
// - the name checks are Node's own (tls.checkServerIdentity), hence
//   ERR_TLS_CERT_ALTNAME_INVALID for HOSTNAME_MISMATCH and IP_ADDRESS_MISMATCH;
// - a missing issuer at depth 0 (a server that sends only its leaf) is
//   UNABLE_TO_VERIFY_LEAF_SIGNATURE in Node;
// - reasons that group several OpenSSL errors take Node's name for the exact
//   OpenSSL code when Node has one (NODE_X509_NAMES);
// - what Node has no name for is UNSPECIFIED, as in Node; ROOT_DISTRUSTED,
//   trustbundle's own policy, is CERT_UNTRUSTED.
// err.reason keeps the shared name in every case.
const CODE_BY_REASON = Object.freeze({
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  SELF_SIGNED: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  SELF_SIGNED_CERT_IN_CHAIN: 'SELF_SIGNED_CERT_IN_CHAIN',
  CERT_HAS_EXPIRED: 'CERT_HAS_EXPIRED',
  CERT_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  HOSTNAME_MISMATCH: 'ERR_TLS_CERT_ALTNAME_INVALID',
  IP_ADDRESS_MISMATCH: 'ERR_TLS_CERT_ALTNAME_INVALID',
  INVALID_PURPOSE: 'INVALID_PURPOSE',
  PATH_LENGTH_EXCEEDED: 'PATH_LENGTH_EXCEEDED',
  NAME_CONSTRAINTS_VIOLATION: 'UNSPECIFIED',
  ROOT_DISTRUSTED: 'CERT_UNTRUSTED',
  CERT_SIGNATURE_FAILURE: 'CERT_SIGNATURE_FAILURE',
  INVALID_CA: 'INVALID_CA',
  CERT_CHAIN_TOO_LONG: 'CERT_CHAIN_TOO_LONG',
  WEAK_KEY_OR_SIGNATURE: 'UNSPECIFIED',
  INVALID_CERTIFICATE: 'UNSPECIFIED',
  CERT_REVOKED: 'CERT_REVOKED',
  CRL_PROBLEM: 'UNABLE_TO_GET_CRL',
  OTHER: 'UNSPECIFIED',
  UNSUPPORTED_KEY: 'UNSPECIFIED',
  VERIFY_BUDGET_EXCEEDED: 'UNSPECIFIED',
});

// OpenSSL X509_V_ERR_* codes that Node names itself (its X509ErrorCode list),
// by number: used inside the reasons that group several of them.
const NODE_X509_NAMES = Object.freeze({
  2: 'UNABLE_TO_GET_ISSUER_CERT',
  3: 'UNABLE_TO_GET_CRL',
  4: 'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  5: 'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  6: 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  8: 'CRL_SIGNATURE_FAILURE',
  11: 'CRL_NOT_YET_VALID',
  12: 'CRL_HAS_EXPIRED',
  13: 'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  14: 'ERROR_IN_CERT_NOT_AFTER_FIELD',
  15: 'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  16: 'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  21: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
});

const REFINE = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CERTIFICATE',
  'CRL_PROBLEM',
]);

/** Node's tls code for a shared reason name, OpenSSL's verify code and the failing depth. */
function tlsCode(reason, opensslCode = 0, depth = -1) {
  if (reason === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' && depth === 0) return 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
  if (REFINE.has(reason) && NODE_X509_NAMES[opensslCode]) return NODE_X509_NAMES[opensslCode];
  return CODE_BY_REASON[reason] || 'UNSPECIFIED';
}

/**
 * A certificate chain was rejected.
 * code: Node's tls code (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ...);
 * reason: the shared name, the same in every trustbundle package; depth: the
 * failing certificate (0 = leaf); hint: one line saying how to fix it.
 */
class VerificationError extends TrustbundleError {
  constructor({ reason, reasonCode, depth, message, hint, opensslCode, host = null }) {
    let text = `${message || reason} (${reason} at depth ${depth})`;
    if (hint) text += `. Hint: ${hint}`;
    super(text, { code: tlsCode(reason, opensslCode, depth), opensslCode });
    this.name = 'VerificationError';
    this.reason = reason;
    this.reasonCode = reasonCode;
    this.depth = depth;
    this.hint = hint;
    this.verifyMessage = message;
    this.host = host;
  }
}

/**
 * The typed error for a failed native call. sources: the CA sources given to
 * a store ({path} or {data, name}, with env: the variable's name), so
 * that a failing source is named and its path attached.
 */
function fromNative(e, sources) {
  if (!e || typeof e.statusName !== 'string') return e;  // a TypeError from argument conversion
  let message = e.message;
  let path;
  if (sources && typeof e.sourceIndex === 'number' && sources[e.sourceIndex]) {
    const source = sources[e.sourceIndex];
    path = source.path;
    if (source.env) message = `${source.env}: ${message}`;
  }
  return new TrustbundleError(message, { status: e.statusName, opensslCode: e.opensslCode || 0, path });
}

module.exports = { TrustbundleError, VerificationError, fromNative, tlsCode, CODE_BY_REASON };
