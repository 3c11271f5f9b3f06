'use strict';
// Shared setup for the Node package's tests (node --test tests/node/).
//
// - The package under test: $TRUSTBUNDLE_NODE_PACKAGE, else bindings/node of
//   this checkout (built by ci/test-node or `npm install` there).
// - A fresh test PKI (tests/pki/generate.py, fresh keys): $TRUSTBUNDLE_TEST_PKI
//   when ci/test-node made one for the whole run, else generated here into a
//   temporary directory, once per test file.
// - A private cache directory, and no inherited CA or proxy variables.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const PACKAGE_DIR = process.env.TRUSTBUNDLE_NODE_PACKAGE || path.join(REPO, 'bindings', 'node');
const VECTORS = path.join(REPO, 'tests', 'vectors', 'verify.json');

for (const name of ['TRUSTBUNDLE_EXTRA_CA_CERTS', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
                    'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) {
  delete process.env[name];
}
process.env.NO_PROXY = '127.0.0.1,localhost';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tbnode-test-'));
process.env.TRUSTBUNDLE_CACHE_DIR = path.join(scratch, 'cache');
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

function python() {
  if (process.env.TRUSTBUNDLE_PYTHON) return process.env.TRUSTBUNDLE_PYTHON;
  const venv = path.join(REPO, 'build', 'venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

let pkiDir = null;

/** The test PKI's directory (see tests/vectors/README.md for its layout). */
function pki() {
  if (pkiDir !== null) return pkiDir;
  if (process.env.TRUSTBUNDLE_TEST_PKI) {
    pkiDir = process.env.TRUSTBUNDLE_TEST_PKI;
  } else {
    pkiDir = path.join(scratch, 'pki');
    execFileSync(python(), [path.join(REPO, 'tests', 'pki', 'generate.py'), pkiDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return pkiDir;
}

function pkiPath(rel) {
  return path.join(pki(), rel);
}

function read(rel) {
  return fs.readFileSync(pkiPath(rel));
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

/** Every certificate of the given PEM files, in order, one PEM string each. */
function pemBlocks(...rels) {
  const out = [];
  for (const rel of rels) {
    const blocks = read(rel).toString('ascii').match(PEM_BLOCK);
    if (!blocks) throw new Error(`no certificate in ${rel}`);
    out.push(...blocks);
  }
  return out;
}

function loadPackage() {
  return require(PACKAGE_DIR);
}

module.exports = { REPO, PACKAGE_DIR, VECTORS, scratch, pki, pkiPath, read, pemBlocks, loadPackage, python };
