#!/usr/bin/env node
'use strict';
// Gets the addon in place; `npm install` runs this.
//
//   node scripts/build.js             the prebuilt addon for this platform
//                                     (prebuilds/<platform>-<arch>/) if it
//                                     loads; else compile build/Release/
//                                     trustbundle.node with cmake-js
//   node scripts/build.js --rebuild   compile, from a clean build directory
//   node scripts/build.js --prebuild  compile into prebuilds/<platform>-<arch>/
//                                     (scripts/stage.js runs it at `npm pack`)
//
// Compiling downloads nothing: the Node-API headers come from the
// node-api-headers package and the OpenSSL headers from this Node.js (see
// README.md, "OpenSSL"). It needs cmake, a C++17 compiler and cmake-js with
// node-addon-api, which are not runtime dependencies (optional peers: a
// checkout has them as devDependencies).
// TRUSTBUNDLE_NODE_BUILD_FROM_SOURCE=1 compiles even when a prebuild loads.
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

const PLATFORM = `${process.platform}-${process.arch}`;
const PREBUILT = path.join(pkgDir, 'prebuilds', PLATFORM, 'trustbundle.node');

// The prebuild, when it is there and this Node loads it (lib/native.js
// decides the same way at run time).
function prebuildLoads() {
  if (!fs.existsSync(PREBUILT)) return `no prebuilt addon for ${PLATFORM}`;
  if ((process.versions.openssl || '').split('.')[0] !== '3') return `this Node.js has OpenSSL '${process.versions.openssl}', the prebuild needs 3`;
  try {
    const { version } = require(PREBUILT);
    const wanted = require(path.join(pkgDir, 'package.json')).version;
    if (version !== wanted) return `${PREBUILT} is version ${version}, the package ${wanted}`;
  } catch (e) {
    return `${PREBUILT} does not load here: ${e.message}`;
  }
  return null;
}

function cmakeJs() {
  try {
    return require('cmake-js');
  } catch (e) {
    fail(`compiling the addon needs cmake-js, which is not installed (${e.code || e.message}). ` +
         'It is not a runtime dependency: install it beside trustbundle, with cmake >= 3.18 and a C++17 compiler on PATH: ' +
         '`npm install cmake-js@^8 node-addon-api@^8.5 trustbundle` (or, with trustbundle already there, ' +
         '`npm install --no-save cmake-js@^8 node-addon-api@^8.5 && npm rebuild trustbundle`)');
  }
  return null;
}

async function compile(out, { rebuild, requireNodes }) {
  const { BuildSystem } = cmakeJs();
  const ossl = opensslSettings();
  if (requireNodes && ossl.mode !== 'node') {
    fail(`a prebuild must use Node's own OpenSSL (the TLS hook needs it), but this Node.js links ${ossl.note}`);
  }
  console.log(`trustbundle: building the addon against ${ossl.note}`);
  const build = new BuildSystem({
    directory: pkgDir,
    out,
    config: 'Release',
    cMakeOptions: {
      TRUSTBUNDLE_OPENSSL_MODE: ossl.mode,
      TRUSTBUNDLE_OPENSSL_INCLUDE_DIR: ossl.includeDir,
      TRUSTBUNDLE_NODE_OPENSSL_MAJOR: ossl.major,
    },
  });
  if (rebuild) await build.rebuild();
  else await build.compile();
  const addon = path.join(out, 'Release', 'trustbundle.node');
  if (!fs.existsSync(addon)) fail(`the build finished but ${addon} is missing`);
  return addon;
}

// Leaves only the addon of a build tree: an installed package keeps no
// object files (a checkout keeps its tree, for incremental builds).
function pruneBuildTree(out, addon) {
  const keep = fs.readFileSync(addon);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(addon), { recursive: true });
  fs.writeFileSync(addon, keep, { mode: 0o755 });
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--prebuild')) {
    // The same build tree as a checkout's own build (the same settings), so
    // packing after a build compiles nothing new.
    const addon = await compile(path.join(pkgDir, 'build'), { rebuild: false, requireNodes: true });
    fs.mkdirSync(path.dirname(PREBUILT), { recursive: true });
    fs.copyFileSync(addon, PREBUILT);
    const why = prebuildLoads();
    if (why) fail(`the prebuild does not load: ${why}`);
    console.log(`trustbundle: prebuilt ${path.relative(pkgDir, PREBUILT)} (Node-API, Node's own OpenSSL)`);
    return;
  }
  const rebuild = args.includes('--rebuild');
  if (!rebuild && process.env.TRUSTBUNDLE_NODE_BUILD_FROM_SOURCE !== '1') {
    const why = prebuildLoads();
    if (why === null) {
      console.log(`trustbundle: using the prebuilt addon ${path.relative(pkgDir, PREBUILT)}; nothing to compile`);
      return;
    }
    if (fs.existsSync(path.join(pkgDir, 'prebuilds'))) console.log(`trustbundle: ${why}; compiling the addon`);
  }
  const out = path.join(pkgDir, 'build');
  const addon = await compile(out, { rebuild, requireNodes: false });
  const checkout = fs.existsSync(path.join(pkgDir, '..', '..', 'core', 'include', 'trustbundle', 'trustbundle.h'));
  if (!checkout) pruneBuildTree(out, addon);
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
