'use strict';
// secureContext() and agent(): TLS contexts that trust Mozilla's roots (+ extra
// CAs), made once per distinct input and reused.
//
// Memoization. A context is keyed by (a) the other tls.createSecureContext
// options, serialized (buffers by their SHA-256), and (b) the extra CAs: the
// certificates themselves (their PEM, in order) as the core reads them from
// extraCa and TRUSTBUNDLE_EXTRA_CA_CERTS, whose value is taken from this
// thread's process.env at every call. So a changed variable, an edited,
// replaced or added file, or different bytes give a new context; identical
// certificates give the same one, whatever the path. The Mozilla part is
// never re-read: the bundle is compiled in. Options holding non-data values
// (a KeyObject, a function) are not memoized.
//
// Reading the extra CAs at every call would cost ~0.1 ms per certificate, so
// each source's certificates are cached (SOURCES):
// - bytes and PEM text by their SHA-256: exact;
// - a path by the identity of what it names, from stat(2) (following links):
//   device, inode, size, mode, mtime and ctime in nanoseconds; for a
//   directory the same for the directory and for each entry. The cached
//   certificates are used only while that identity is unchanged AND the
//   newest ctime in it is more than RACY_NS older than the moment the
//   contents were read: a write after the read then necessarily moves a
//   ctime (nobody can set ctime; an in-place edit that keeps size and
//   restores mtime still changes it), even on file systems whose timestamps
//   are coarser than the time between two writes. A file changed in the
//   last two seconds is read again at every call until it settles (git's
//   "racily clean" rule). A path that cannot be stat'ed is read by the core,
//   which names it in the error.

const tls = require('node:tls');


// Loaded when first needed (extra CAs, an error): a context without extra CAs
// needs neither, and its first creation is measured against a bare
// tls.createSecureContext (bench/node).
const lazy = {
  get bundle() { return require('./bundle'); },
  get inputs() { return require('./inputs'); },
  get native() { return require('./native').native(); },
  get fromNative() { return require('./errors').fromNative; },
};

// tls.createSecureContext's own options (Node 20); `ca` is ours.
const CONTEXT_KEYS = new Set([
  'allowPartialTrustChain', 'cert', 'ciphers', 'clientCertEngine', 'crl', 'dhparam', 'ecdhCurve',
  'honorCipherOrder', 'key', 'maxVersion', 'minVersion', 'passphrase', 'pfx', 'privateKeyEngine',
  'privateKeyIdentifier', 'secureOptions', 'secureProtocol', 'sessionIdContext', 'sessionTimeout',
  'sigalgs', 'ticketKeys',
]);
const OWN_KEYS = new Set(['extraCa', 'env']);

const MAX_CONTEXTS = 32;
const contexts = new Map();  // key -> SecureContext, least recently used first

// A stable string for plain data, or null when a value is not plain data.
function keyOf(value) {
  if (value === undefined) return 'u';
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    const bytes = value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return `h${require('node:crypto').createHash('sha256').update(bytes).digest('hex')}`;
  }
  if (Array.isArray(value)) {
    const parts = [];
    for (const v of value) {
      const k = keyOf(v);
      if (k === null) return null;
      parts.push(k);
    }
    return `[${parts.join(',')}]`;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return null;
    const parts = [];
    for (const name of Object.keys(value).sort()) {
      const k = keyOf(value[name]);
      if (k === null) return null;
      parts.push(`${JSON.stringify(name)}:${k}`);
    }
    return `{${parts.join(',')}}`;
  }
  return null;
}

const RACY_NS = 2000000000n;
const MAX_SOURCES = 64;
const SOURCES = new Map();  // 'p' + path | 'd' + sha256 -> {identity, trusted, pem}

function statIdentity(st) {
  return `${st.dev}:${st.ino}:${st.size}:${st.mode}:${st.mtimeNs}:${st.ctimeNs}`;
}

// The identity of a path ({id, ctime}: newest ctime in it), or null when it
// cannot be stat'ed.
function pathIdentity(p) {
  const fs = require('node:fs');
  try {
    const st = fs.statSync(p, { bigint: true });
    if (!st.isDirectory()) return { id: statIdentity(st), ctime: st.ctimeNs };
    let ctime = st.ctimeNs;
    const parts = [statIdentity(st)];
    for (const name of fs.readdirSync(p).sort()) {
      let entry;
      try {
        entry = fs.statSync(`${p}/${name}`, { bigint: true });
      } catch {
        parts.push(`${name}=?`);  // a dangling link: the core decides what it means
        continue;
      }
      if (entry.ctimeNs > ctime) ctime = entry.ctimeNs;
      parts.push(`${name}=${statIdentity(entry)}`);
    }
    return { id: parts.join('/'), ctime };
  } catch {
    return null;
  }
}

// One source's certificates as the core reads them, as PEM.
function readSource(source) {
  const n = lazy.native;
  try {
    return n.storeExtraPem(n.storeNew(lazy.inputs.storeSpec([source])));
  } catch (e) {
    throw lazy.fromNative(e, [source]);
  }
}

function remember(key, entry) {
  if (SOURCES.size >= MAX_SOURCES && !SOURCES.has(key)) SOURCES.delete(SOURCES.keys().next().value);
  SOURCES.set(key, entry);
}

function sourcePem(source) {
  if (source.path === undefined) {
    const data = typeof source.data === 'string' ? Buffer.from(source.data, 'utf8') : source.data;
    const key = `d${require('node:crypto').createHash('sha256').update(data).digest('hex')}`;
    const hit = SOURCES.get(key);
    if (hit !== undefined) return hit.pem;
    const pem = readSource(source);
    remember(key, { identity: null, trusted: true, pem });
    return pem;
  }
  const key = `p${source.path}`;
  const identity = pathIdentity(source.path);
  const hit = SOURCES.get(key);
  if (identity !== null && hit !== undefined && hit.trusted && hit.identity === identity.id) return hit.pem;
  const readAt = BigInt(Date.now()) * 1000000n;
  const pem = readSource(source);
  if (identity !== null) remember(key, { identity: identity.id, trusted: readAt - identity.ctime > RACY_NS, pem });
  return pem;
}

// A key naming exactly what the sources hold now (see SOURCES): data by its
// SHA-256, a path by its identity; null when a path cannot be stat'ed or was
// changed in the last RACY_NS (then nothing may be reused).
function sourcesKey(sources) {
  const parts = [];
  const now = BigInt(Date.now()) * 1000000n;
  for (const source of sources) {
    if (source.path === undefined) {
      const data = typeof source.data === 'string' ? Buffer.from(source.data, 'utf8') : source.data;
      parts.push(`d${require('node:crypto').createHash('sha256').update(data).digest('hex')}`);
      continue;
    }
    const identity = pathIdentity(source.path);
    if (identity === null || now - identity.ctime <= RACY_NS) return null;
    parts.push(`p${source.path}\n${identity.id}`);
  }
  return parts.join('\n');
}

// The extra CAs' PEM, in order ('' when there are none).
function extraPem(extraCa, env) {
  if ((extraCa === undefined || extraCa === null) &&
      !(env && (process.env.TRUSTBUNDLE_EXTRA_CA_CERTS || process.env.NODE_EXTRA_CA_CERTS))) return '';
  let pem = '';
  for (const source of lazy.inputs.caSources(extraCa, env)) pem += sourcePem(source);
  return pem;
}

function splitOptions(opts) {
  const own = {};
  const context = {};
  const rest = {};
  for (const name of Object.keys(opts)) {
    if (OWN_KEYS.has(name)) own[name] = opts[name];
    else if (CONTEXT_KEYS.has(name)) context[name] = opts[name];
    else rest[name] = opts[name];
  }
  return { own, context, rest };
}

function rejectCa(opts) {
  if (Object.prototype.hasOwnProperty.call(opts, 'ca')) {
    throw lazy.inputs.argError(TypeError, 'ERR_INVALID_ARG_VALUE',
      'ca: trustbundle supplies the CAs; pass yours as extraCa (they are added to Mozilla\'s roots)');
  }
}

// cert, key and pfx given as a path (a string that is not PEM text, or a
// URL) are read here, so that they are memoized by their contents.
function readKeyMaterial(contextOptions) {
  const out = { ...contextOptions };
  for (const name of ['cert', 'key', 'pfx']) {
    const value = out[name];
    if (value instanceof URL || (typeof value === 'string' && !value.includes(lazy.inputs.PEM_MARK))) {
      out[name] = lazy.inputs.readInput(value, name);
    }
  }
  return out;
}

function memoized(key, make) {
  if (key === null) return make();
  const hit = contexts.get(key);
  if (hit !== undefined) {
    contexts.delete(key);
    contexts.set(key, hit);
    return hit;
  }
  const created = make();
  contexts.set(key, created);
  if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value);
  return created;
}

function contextFor(own, contextOptions) {
  const env = own.env === undefined ? true : Boolean(own.env);
  const extras = extraPem(own.extraCa, env);
  const options = readKeyMaterial(contextOptions);
  const optionsKey = keyOf(options);
  const key = optionsKey === null ? null : `${optionsKey}\n${extras}`;
  return memoized(key, () => {
    const ca = extras ? [lazy.bundle.pemBuffer(), extras] : lazy.bundle.pemBuffer();
    return tls.createSecureContext({ ...options, ca });
  });
}

// A session timeout (seconds, OpenSSL's default) that src/sent_chain.cpp reads
// back to check it was given this context's SSL_CTX.
const HANDSHAKE_SESSION_TIMEOUT = 300;

// Makes the context record each chain as the server sent it
// (src/sent_chain.cpp). Without that, lib/connect.js takes the chain from
// getPeerCertificate(true), which can lose certificates sent out of order:
// such a chain is then rejected (never wrongly accepted).
function recordSentChains(created, timeout) {
  const handle = created.context && created.context._external;
  if (handle === undefined) return false;
  const m = /^\[External: ([0-9a-f]+)\]$/.exec(require('node:util').inspect(handle));
  if (m === null) return false;
  return lazy.native.recordSentChains(BigInt(`0x${m[1]}`), timeout);
}

/**
 * The context of a connection whose chain the core judges (lib/connect.js):
 * no CAs at all (an empty list, not Node's default roots), so OpenSSL's own
 * verification, which is not consulted, costs nothing and getPeerCertificate
 * appends nothing from a local store to the chain the server sent.
 */
function handshakeContext(contextOptions) {
  const options = readKeyMaterial(contextOptions);
  const optionsKey = keyOf(options);
  return memoized(optionsKey === null ? null : `handshake\n${optionsKey}`, () => {
    const created = tls.createSecureContext({ sessionTimeout: HANDSHAKE_SESSION_TIMEOUT, ...options, ca: [] });
    recordSentChains(created, options.sessionTimeout || HANDSHAKE_SESSION_TIMEOUT);
    return created;
  });
}

/**
 * A tls.SecureContext trusting Mozilla's roots + extraCa +
 * TRUSTBUNDLE_EXTRA_CA_CERTS, for tls.connect({secureContext}) and servers.
 * Other tls.createSecureContext options (cert, key, minVersion, ...) pass
 * through. The same inputs return the same context.
 */
function secureContext(opts) {
  const o = opts === undefined ? {} : lazy.inputs.options(opts);
  rejectCa(o);
  const { own, context, rest } = splitOptions(o);
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw lazy.inputs.argError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `secureContext: unknown option ${JSON.stringify(unknown[0])} (tls.createSecureContext options, extraCa and env are accepted)`);
  }
  return contextFor(own, context);
}

/** Forgets every memoized context and cached CA source (contexts stay valid for whoever holds them). */
function clearContexts() {
  contexts.clear();
  SOURCES.clear();
}

module.exports = { secureContext, handshakeContext, splitOptions, rejectCa, clearContexts, keyOf, sourcesKey };
