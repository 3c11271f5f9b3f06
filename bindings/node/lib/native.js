'use strict';
// Loads the raw addon (src/addon.cpp) once, on first use, so that
// require('trustbundle') and where() stay cheap.

const path = require('node:path');

const ADDON = path.join(__dirname, '..', 'build', 'Release', 'trustbundle.node');

let addon = null;

function native() {
  if (addon !== null) return addon;
  try {
    addon = require(ADDON);
  } catch (e) {
    const err = new Error(
      `trustbundle: cannot load the native addon ${ADDON}: ${e.message}. ` +
        'It is built by `npm install` (cmake and a C++17 compiler are needed); ' +
        'run `npm rebuild trustbundle` after changing Node.js versions.',
      { cause: e },
    );
    err.code = 'ERR_TRUSTBUNDLE_ADDON';
    throw err;
  }
  return addon;
}

module.exports = { native, ADDON };
