#!/usr/bin/env node
'use strict';
// Stages what the npm package needs from the rest of the repository, so the
// packed tarball builds on its own (`npm pack` runs this as prepack):
//   core/CMakeLists.txt, trustbundle.map, include/, src/, cli/, data/bundle_data.inc
//                                                       the C++ core the addon compiles (its own build
//                                                       description; cli/ is the tool the bin runs)
//   cacert.pem, capath/                                 the generated bundle files where() and whereCapath() return
//   LICENSE, NOTICE                                     the project's license and the Mozilla data notice
//   prebuilds/<platform>-<arch>/trustbundle.node        the addon, compiled here (scripts/build.js
//                                                       --prebuild): installs need no compiler
//
//   node scripts/stage.js          copy them in (replacing an earlier copy)
//   node scripts/stage.js --clean  remove them (postpack)
//
// The staged files are build inputs, never edited here: core/data is generated
// by ci/regenerate-data, core/src and core/cli are the core's.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const pkgDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(pkgDir, '..', '..');
const repoCore = path.join(repoRoot, 'core');

const STAGED = ['core', 'cacert.pem', 'capath', 'LICENSE', 'NOTICE', 'prebuilds'];

function clean() {
  for (const name of STAGED) fs.rmSync(path.join(pkgDir, name), { recursive: true, force: true });
}

function copyDir(from, to, filter = () => true) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(src, dst, filter);
    else if (entry.isFile() && filter(entry.name)) fs.copyFileSync(src, dst);
  }
}

function stage() {
  if (!fs.existsSync(path.join(repoCore, 'include', 'trustbundle', 'trustbundle.h'))) {
    console.error(`trustbundle: ${repoCore} is not the core; run npm pack from bindings/node of a checkout`);
    process.exit(1);
  }
  clean();
  const core = path.join(pkgDir, 'core');
  fs.mkdirSync(core, { recursive: true });
  for (const name of ['CMakeLists.txt', 'trustbundle.map']) fs.copyFileSync(path.join(repoCore, name), path.join(core, name));
  copyDir(path.join(repoCore, 'include'), path.join(core, 'include'));
  for (const dir of ['src', 'cli']) copyDir(path.join(repoCore, dir), path.join(core, dir), (name) => /\.(cpp|h)$/.test(name));
  fs.mkdirSync(path.join(core, 'data'), { recursive: true });
  fs.copyFileSync(path.join(repoCore, 'data', 'bundle_data.inc'), path.join(core, 'data', 'bundle_data.inc'));
  fs.copyFileSync(path.join(repoCore, 'data', 'cacert.pem'), path.join(pkgDir, 'cacert.pem'));
  copyDir(path.join(repoCore, 'data', 'capath'), path.join(pkgDir, 'capath'));
  for (const name of ['LICENSE', 'NOTICE']) fs.copyFileSync(path.join(repoRoot, name), path.join(pkgDir, name));
  const count = ['src', 'cli']
    .flatMap((dir) => fs.readdirSync(path.join(core, dir), { recursive: true }))
    .filter((name) => /\.(cpp|h)$/.test(name)).length;
  console.error(`trustbundle: staged the core (${count} source files), cacert.pem, capath/, LICENSE and NOTICE into ${pkgDir}`);
  const built = spawnSync(process.execPath, [path.join(__dirname, 'build.js'), '--prebuild'], { cwd: pkgDir, stdio: 'inherit' });
  if (built.status !== 0) {
    clean();
    console.error('trustbundle: building the prebuilt addon failed (above); nothing staged');
    process.exit(1);
  }
}

if (process.argv.includes('--clean')) clean();
else stage();
