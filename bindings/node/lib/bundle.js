'use strict';
// The bundle: where(), pem(), whereCapath(), roots(), rootCertificates.

const fs = require('node:fs');
const path = require('node:path');

// The addon and the error mapping, loaded only when the shipped files are
// missing or roots() is called.
const native = () => require('./native').native();
const fromNative = (e) => require('./errors').fromNative(e);

const PKG_DIR = path.join(__dirname, '..');
const SHIPPED_PEM = path.join(PKG_DIR, 'cacert.pem');
const SHIPPED_CAPATH = path.join(PKG_DIR, 'capath');

let pemBytes = null;
let pemText = null;
let rootPems = null;

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Path of Mozilla's roots as one PEM file, certifi's cacert.pem. The package
 * ships it; where the package directory has no file system (a bundler, a
 * single executable) the core writes it once, atomically, into the user cache
 * ($TRUSTBUNDLE_CACHE_DIR, else $XDG_CACHE_HOME/trustbundle, else ~/.cache/trustbundle).
 */
function where() {
  if (isFile(SHIPPED_PEM)) return SHIPPED_PEM;
  // Asked anew each time: the core re-checks the cache (private, content
  // intact) before a path reaches a TLS stack.
  try {
    return native().materialize(null);
  } catch (e) {
    throw fromNative(e);
  }
}

/** Path of a hashed CA directory (`openssl rehash` names) holding the same roots. */
function whereCapath() {
  if (isDir(SHIPPED_CAPATH)) return SHIPPED_CAPATH;
  try {
    return native().capathExport(null);
  } catch (e) {
    throw fromNative(e);
  }
}

/**
 * The bundle's text: the contents of where(), read once. (The shipped file,
 * not the library's copy: reading it is cheaper than loading the addon and
 * formatting the PEM, and secureContext()'s first call depends on it.)
 */
function pem() {
  if (pemText === null) pemText = pemBuffer().toString('latin1');
  return pemText;
}

/** The same as a Buffer (for tls.createSecureContext), read once. Not to be modified. */
function pemBuffer() {
  if (pemBytes === null) pemBytes = fs.readFileSync(where());
  return pemBytes;
}

const TRUST = ['none', 'trusted', 'mustVerify', 'notTrusted'];

function derToPem(der) {
  const b64 = der.toString('base64');
  const lines = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----`;
}

function date(seconds) {
  return seconds === null ? null : new Date(seconds * 1000);
}

/** The embedded roots with their metadata, in Mozilla's certdata order (a new array each call). */
function roots() {
  return native().roots().map((r) => Object.freeze({
    label: r.label,
    sha256: r.sha256,
    sha1: r.sha1,
    subject: r.subject,
    issuer: r.issuer,
    serial: r.serial,
    notBefore: date(r.notBefore),
    notAfter: date(r.notAfter),
    serverTrust: TRUST[r.serverTrust] || 'none',
    emailTrust: TRUST[r.emailTrust] || 'none',
    serverDistrustAfter: date(r.serverDistrustAfter),
    der: r.der,
    pem: derToPem(r.der),
  }));
}

/** The roots as PEM strings, shaped like tls.rootCertificates (frozen, computed once). */
function rootCertificates() {
  if (rootPems === null) rootPems = Object.freeze(native().roots().map((r) => derToPem(r.der)));
  return rootPems;
}

module.exports = { where, whereCapath, pem, pemBuffer, roots, rootCertificates, derToPem };
