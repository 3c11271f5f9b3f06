'use strict';
// diagnose(): the doctor (the core's probe) for a live TLS endpoint, on the
// libuv pool; the same findings, fixes, report and JSON as `trustbundle
// doctor` and Python's trustbundle.diagnose(), with the fixes naming this
// package's options ({ extraCa }, servername, timeout, cert/key).

const { native } = require('./native');
const { fromNative } = require('./errors');
const inputs = require('./inputs');

const VERDICTS = ['OK', 'REJECTED', 'UNREACHABLE'];
const SEVERITIES = ['info', 'warning', 'error'];
const DEFAULT_TIMEOUT_MS = 10000;
const MAX_TIMEOUT_MS = 600000;
const KEYS = new Set(['servername', 'timeout', 'cert', 'key', 'passphrase', 'extraCa', 'env']);

function timeoutMs(value) {
  if (value === undefined || value === null) return DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    throw inputs.argError(RangeError, 'ERR_OUT_OF_RANGE', `timeout: expected milliseconds in (0, ${MAX_TIMEOUT_MS}], not ${value}`);
  }
  return Math.ceil(value);
}

function certificate(c) {
  return Object.freeze({
    subject: c.subject,
    issuer: c.issuer,
    notBefore: new Date(c.notBefore * 1000),
    notAfter: new Date(c.notAfter * 1000),
    keyType: c.keyType,
    keyBits: c.keyBits,
    sha256: c.sha256,
    der: c.der,
  });
}

function finding(f) {
  return Object.freeze({
    code: f.code,
    severity: SEVERITIES[f.severity] || 'unknown',
    index: f.index,
    message: f.message,
    fixClient: f.fixClient,
    fixServer: f.fixServer,
  });
}

function diagnosis(p) {
  const verdict = VERDICTS[p.verdict] || 'UNREACHABLE';
  return Object.freeze({
    verdict,
    ok: verdict === 'OK',
    /** The CLI's exit code: 0 verifies, 1 does not, 2 unreachable or not TLS. */
    exitCode: verdict === 'OK' ? 0 : verdict === 'REJECTED' ? 1 : 2,
    failure: p.failureName,
    reason: p.chain.length > 0 ? p.reasonName : null,
    message: p.message,
    hint: p.hint,
    protocol: p.protocol || null,
    cipher: p.cipher || null,
    clientCertRequested: p.clientCertRequested,
    chain: Object.freeze(p.chain.map(certificate)),
    findings: Object.freeze(p.findings.map(finding)),
    fixClient: p.fixClient,
    fixServer: p.fixServer,
    text: p.text,
    json: p.json,
  });
}

/**
 * Connects to target ("host", "host:port", "[v6]:port" or an https:// URL,
 * port 443 by default) and says whether, and why not, its chain verifies.
 * Resolves to the diagnosis whatever happened to the endpoint; rejects only
 * for bad arguments (an unreadable extra CA or client certificate, a key
 * that needs a passphrase).
 */
async function diagnose(target, opts) {
  if (typeof target !== 'string' || target === '') {
    throw inputs.argError(TypeError, 'ERR_INVALID_ARG_TYPE', 'target: expected a non-empty string');
  }
  const o = inputs.options(opts);
  for (const name of Object.keys(o)) {
    if (!KEYS.has(name)) {
      throw inputs.argError(TypeError, 'ERR_INVALID_ARG_VALUE', `diagnose: unknown option ${JSON.stringify(name)}`);
    }
  }
  if (o.key !== undefined && o.cert === undefined) {
    throw inputs.argError(TypeError, 'ERR_INVALID_ARG_VALUE', 'key: given without cert');
  }
  const probeOptions = {
    servername: o.servername === undefined || o.servername === null ? null : inputs.host(o.servername),
    timeoutMs: timeoutMs(o.timeout),
    cert: null,
    key: null,
    passphrase: null,
  };
  if (o.cert !== undefined && o.cert !== null) {
    probeOptions.cert = inputs.readInput(o.cert, 'cert');
    probeOptions.key = o.key === undefined || o.key === null ? probeOptions.cert : inputs.readInput(o.key, 'key');
  }
  if (o.passphrase !== undefined && o.passphrase !== null) {
    probeOptions.passphrase = o.passphrase instanceof Uint8Array ? Buffer.from(o.passphrase).toString('utf8') : o.passphrase;
  }
  const sources = inputs.caSources(o.extraCa, o.env === undefined ? true : Boolean(o.env));
  let p;
  try {
    p = await native().probe(inputs.storeSpec(sources), target, probeOptions);
  } catch (e) {
    throw fromNative(e, sources);
  }
  return diagnosis(p);
}

module.exports = { diagnose };
