#!/usr/bin/env node
'use strict';
// Builds the addon (build/Release/trustbundle.node) with cmake-js: `npm install`
// runs this. It downloads nothing: the Node-API headers come from the
// node-api-headers package and the OpenSSL headers from this Node.js (see
// README.md, "OpenSSL"). Needs cmake and a C++17 compiler.
//
//   node scripts/build.js            configure (if needed) and build
//   node scripts/build.js --rebuild  start from a clean build directory
//
// TRUSTBUNDLE_NODE_OPENSSL_INCLUDE=DIR overrides where the OpenSSL headers of
// Node's own copy are looked for (DIR holds openssl/x509_vfy.h).

const fs = require('node:fs');
const path = require('node:path');

const pkgDir = path.resolve(__dirname, '..');

function fail(message) {
  console.error(`trustbundle: ${message}`);
  process.exit(1);
}

function hasHeaders(dir) {
  return Boolean(dir) && fs.existsSync(path.join(dir, 'openssl', 'x509_vfy.h'));
}

// How this Node.js carries OpenSSL, and which headers describe it.
function opensslSettings() {
  const version = process.versions.openssl;
  if (!version) fail('this Node.js has no OpenSSL (built --without-ssl); trustbundle needs it');
  const major = version.split('.')[0];
  if (major !== '3') fail(`this Node.js has OpenSSL ${version}; trustbundle needs OpenSSL 3`);
  const vars = process.config.variables || {};
  const shared = vars.node_shared_openssl === true || vars.node_shared_openssl === 'true';
  if (shared) {
    // A distribution's Node linked against the system libcrypto: the addon
    // links the same library, so there is a single OpenSSL in the process.
    return { mode: 'shared', includeDir: '', major, note: 'the system OpenSSL that this Node.js links' };
  }
  const candidates = [];
  if (process.env.TRUSTBUNDLE_NODE_OPENSSL_INCLUDE) candidates.push(process.env.TRUSTBUNDLE_NODE_OPENSSL_INCLUDE);
  candidates.push(path.resolve(path.dirname(process.execPath), '..', 'include', 'node'));
  const nodedir = process.env.npm_config_nodedir;
  if (nodedir) {
    candidates.push(path.join(nodedir, 'include', 'node'));
    candidates.push(path.join(nodedir, 'deps', 'openssl', 'openssl', 'include'));
  }
  const found = candidates.find(hasHeaders);
  if (found) return { mode: 'node', includeDir: found, major, note: `Node's own OpenSSL ${version} (headers in ${found})` };
  // Node's headers are not installed beside it. OpenSSL keeps its ABI within
  // a major version, so the system's 3.x headers describe the functions the
  // core calls just as well; the calls still go to Node's copy.
  const system = ['/usr/include', '/usr/local/include', '/opt/homebrew/include'].find(hasHeaders);
  if (system) {
    console.warn(`trustbundle: Node's OpenSSL headers were not found (looked in ${candidates.join(', ')}); ` +
                 `compiling against the OpenSSL ${major}.x headers in ${system}`);
    return { mode: 'node', includeDir: system, major, note: `Node's own OpenSSL ${version} (system ${major}.x headers)` };
  }
  fail(`no OpenSSL ${major}.x headers: looked in ${candidates.join(', ')} and the system include directories. ` +
       'Install Node.js with its headers (include/node), or set TRUSTBUNDLE_NODE_OPENSSL_INCLUDE');
}

async function main() {
  let BuildSystem;
  try {
    ({ BuildSystem } = require('cmake-js'));
  } catch (e) {
    fail(`cmake-js is missing (${e.message}); run npm install`);
  }
  const ossl = opensslSettings();
  console.log(`trustbundle: building the addon against ${ossl.note}`);
  const build = new BuildSystem({
    directory: pkgDir,
    out: path.join(pkgDir, 'build'),
    config: 'Release',
    cMakeOptions: {
      TRUSTBUNDLE_OPENSSL_MODE: ossl.mode,
      TRUSTBUNDLE_OPENSSL_INCLUDE_DIR: ossl.includeDir,
      TRUSTBUNDLE_NODE_OPENSSL_MAJOR: ossl.major,
    },
  });
  if (process.argv.includes('--rebuild')) await build.rebuild();
  else await build.compile();
  const addon = path.join(pkgDir, 'build', 'Release', 'trustbundle.node');
  if (!fs.existsSync(addon)) fail(`the build finished but ${addon} is missing`);
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
