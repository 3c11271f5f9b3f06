'use strict';
// Argument conversion: JavaScript values into what the addon takes.

const fs = require('node:fs');
// node:net and node:url are required where used: loading this module stays cheap.

const { native } = require('./native');
const { TrustbundleError, fromNative } = require('./errors');

const PEM_MARK = '-----BEGIN';
// Variables naming extra CAs (a file or a directory), read when a store or a
// context is made. NODE_EXTRA_CA_CERTS is Node's own (read by Node at start-up
// only): honoured here too, so a setup that sets it keeps working.
const ENV_VARS = ['TRUSTBUNDLE_EXTRA_CA_CERTS', 'NODE_EXTRA_CA_CERTS'];
const ENV_VAR = ENV_VARS[0];

function argError(Type, code, message) {
  const err = new Type(message);
  err.code = code;
  return err;
}

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return v.constructor && v.constructor.name ? `an instance of ${v.constructor.name}` : 'an object';
  return `type ${typeof v}`;
}

// crypto.X509Certificate, loaded on first use (require('node:crypto') costs ~2 ms).
function isX509(v) {
  return v !== null && typeof v === 'object' && v instanceof require('node:crypto').X509Certificate;
}

function isBytes(v) {
  return v instanceof Uint8Array;  // Buffer is a Uint8Array
}

/** One extra-CA item as a native source: {path} or {data, name}. */
function caSource(item, label) {
  if (item instanceof URL) item = require('node:url').fileURLToPath(item);
  if (typeof item === 'string') {
    if (item.includes(PEM_MARK)) return { data: item, name: `${label} (PEM text)` };
    if (item === '') throw argError(TypeError, 'ERR_INVALID_ARG_VALUE', `${label}: an empty string is neither a path nor PEM text`);
    return { path: item };
  }
  if (isBytes(item)) {
    const kind = Buffer.from(item.buffer, item.byteOffset, item.byteLength).includes(PEM_MARK) ? 'PEM' : 'DER';
    return { data: item, name: `${label} (${kind} bytes)` };
  }
  if (isX509(item)) return { data: item.raw, name: `${label} (X509Certificate)` };
  throw argError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `${label}: expected a path, PEM text, PEM/DER bytes or an X509Certificate, not ${typeName(item)}`);
}

/**
 * The native sources of an extraCa option (a path, PEM text, bytes, an
 * X509Certificate, or an array of those), then TRUSTBUNDLE_EXTRA_CA_CERTS and
 * NODE_EXTRA_CA_CERTS (read now, from this thread's process.env) when env is on.
 */
function caSources(extraCa, env = true, label = 'extraCa') {
  const sources = [];
  if (extraCa !== undefined && extraCa !== null) {
    if (Array.isArray(extraCa)) extraCa.forEach((item, i) => sources.push(caSource(item, `${label}[${i}]`)));
    else sources.push(caSource(extraCa, label));
  }
  if (env) {
    for (const name of ENV_VARS) {
      const value = process.env[name];
      if (value) sources.push({ path: value, env: name });
    }
  }
  return sources;
}

/** The store spec the addon takes. Sources carry env/labels the addon ignores. */
function storeSpec(sources, mozilla = true) {
  return { mozilla: Boolean(mozilla), env: false, sources };
}

function certItem(item, label) {
  if (typeof item === 'string' || isBytes(item)) return item;
  if (isX509(item)) return item.raw;
  if (item && typeof item === 'object' && isBytes(item.raw)) return item.raw;  // tls peer certificate
  throw argError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `${label}: expected PEM text, PEM/DER bytes or an X509Certificate, not ${typeName(item)}`);
}

/**
 * A chain as an array of buffers, leaf first: an array of certificates, one
 * PEM string/buffer (it may hold the whole chain), one X509Certificate, or a
 * peer certificate from tlsSocket.getPeerCertificate(true) (its
 * issuerCertificate links are followed).
 */
function chainBuffers(chain) {
  if (Array.isArray(chain)) {
    if (chain.length === 0) throw argError(TypeError, 'ERR_INVALID_ARG_VALUE', 'chain: empty, it needs at least the leaf certificate');
    return chain.map((c, i) => certItem(c, `chain[${i}]`));
  }
  if (chain && typeof chain === 'object' && !isBytes(chain) && !isX509(chain) && isBytes(chain.raw)) {
    const out = [];
    const seen = new Set();
    for (let c = chain; c && isBytes(c.raw) && !seen.has(c); c = c.issuerCertificate) {
      seen.add(c);
      out.push(c.raw);
    }
    return out;
  }
  return [certItem(chain, 'chain')];
}

/** Unix seconds from a Date, milliseconds since the epoch, or an RFC 3339 / Unix-seconds string. */
function seconds(at, label = 'at') {
  if (at === undefined || at === null) return undefined;
  if (at instanceof Date || typeof at === 'number') {
    const ms = at instanceof Date ? at.getTime() : at;
    if (!Number.isFinite(ms)) throw argError(RangeError, 'ERR_INVALID_ARG_VALUE', `${label}: not a valid time`);
    return Math.floor(ms / 1000);
  }
  if (typeof at === 'string') {
    try {
      return native().timeParse(at);
    } catch (e) {
      const err = fromNative(e);
      if (err instanceof TrustbundleError) err.message = `${label}: ${err.message}`;
      throw err;
    }
  }
  throw argError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `${label}: expected a Date, milliseconds since the epoch or an RFC 3339 string, not ${typeName(at)}`);
}

/** A DNS name (IDNs in their ASCII form) or an IP literal; undefined for no name check. */
function host(value) {
  if (value === undefined || value === null) return undefined;
  // An empty name is a mistake (new URL(u).hostname of a bad URL), not a way
  // to skip the check: that takes host: null or no host, said explicitly.
  if (value === '') throw argError(TypeError, 'ERR_INVALID_ARG_VALUE', "host: empty string; pass host: null to skip the name check");
  if (typeof value !== 'string') throw argError(TypeError, 'ERR_INVALID_ARG_TYPE', `host: expected a string, not ${typeName(value)}`);
  let name = value;
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  if (/^[\x00-\x7f]*$/.test(name) || require('node:net').isIP(name)) return name;
  const ascii = require('node:url').domainToASCII(name);  // as tls.connect's servername would be sent
  if (!ascii) throw argError(TypeError, 'ERR_INVALID_ARG_VALUE', `host: '${value}' is not a valid host name`);
  return ascii;
}

function purpose(value) {
  if (value === undefined || value === null || value === 'server') return native().PURPOSE_SERVER;
  if (value === 'client') return native().PURPOSE_CLIENT;
  throw argError(TypeError, 'ERR_INVALID_ARG_VALUE', `purpose: expected 'server' or 'client', not ${JSON.stringify(value)}`);
}

/** A certificate or key: bytes, PEM text, or a path to a file holding it. */
function readInput(value, label) {
  if (isBytes(value)) return value;
  if (value instanceof URL) value = require('node:url').fileURLToPath(value);
  if (typeof value === 'string') {
    if (value.includes(PEM_MARK)) return value;
    try {
      return fs.readFileSync(value);
    } catch (e) {
      throw new TrustbundleError(`${label}: cannot read '${value}': ${e.message}`, { status: 'IO', path: value, cause: e });
    }
  }
  throw argError(TypeError, 'ERR_INVALID_ARG_TYPE', `${label}: expected PEM/DER bytes, PEM text or a path, not ${typeName(value)}`);
}

function options(value, label = 'options') {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw argError(TypeError, 'ERR_INVALID_ARG_TYPE', `${label}: expected an object, not ${typeName(value)}`);
  }
  return value;
}

module.exports = {
  ENV_VAR,
  ENV_VARS,
  PEM_MARK,
  argError,
  caSources,
  storeSpec,
  chainBuffers,
  seconds,
  host,
  purpose,
  readInput,
  options,
};
