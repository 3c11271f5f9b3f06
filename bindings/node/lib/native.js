'use strict';
// Loads the raw addon (src/addon.cpp) once, on first use, so that
// require('trustbundle') and where() stay cheap.
//
// Where it comes from, first that loads:
//   build/Release/trustbundle.node          compiled on this machine (a checkout,
//                                           or the install's fallback when no
//                                           prebuild loaded)
//   prebuilds/<platform>-<arch>/trustbundle.node
//                                           built at `npm pack` (Node-API, any
//                                           Node >= 20 with OpenSSL 3)

const fs = require('node:fs');
const path = require('node:path');

const PKG_DIR = path.join(__dirname, '..');
const BUILT = path.join(PKG_DIR, 'build', 'Release', 'trustbundle.node');
const PREBUILT = path.join(PKG_DIR, 'prebuilds', `${process.platform}-${process.arch}`, 'trustbundle.node');

let addon = null;
let loadedFrom = null;

// The files present, in the order they are tried.
function candidates() {
  return [BUILT, PREBUILT].filter((file) => fs.existsSync(file));
}

// The prebuild binds its OpenSSL calls to the copy inside node: it needs
// OpenSSL 3 there (the headers it was compiled against).
function unusable(file) {
  if (file !== PREBUILT) return null;
  const openssl = process.versions.openssl || '';
  if (openssl.split('.')[0] !== '3') return `it needs a Node.js with OpenSSL 3, this one has '${openssl || 'none'}'`;
  return null;
}

function native() {
  if (addon !== null) return addon;
  const tried = [];
  for (const file of candidates()) {
    const why = unusable(file);
    if (why) { tried.push(`${file}: ${why}`); continue; }
    try {
      addon = require(file);
      loadedFrom = file;
      return addon;
    } catch (e) {
      tried.push(`${file}: ${e.message}`);
    }
  }
  const err = new Error(
    `trustbundle: cannot load the native addon (${tried.length ? tried.join('; ') : `neither ${PREBUILT} nor ${BUILT} exists`}). ` +
      `The package ships a prebuilt addon for linux-x64 (glibc); elsewhere \`npm install\` compiles it ` +
      '(cmake, a C++17 compiler and cmake-js are needed: see the README, "Installing"); ' +
      'to compile it again: `npm rebuild trustbundle`.',
  );
  err.code = 'ERR_TRUSTBUNDLE_ADDON';
  throw err;
}

// The file the addon was loaded from (null before the first use).
function addonPath() {
  return loadedFrom;
}

module.exports = { native, addonPath, BUILT, PREBUILT };
