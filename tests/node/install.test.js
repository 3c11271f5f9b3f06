'use strict';
// The install test: `npm pack` in bindings/node (its prepack compiles the
// prebuilt addon), then `npm install ./trustbundle-<version>.tgz` in a fresh
// project outside the repository with no compiler or cmake on PATH (each is a
// script that fails, naming itself), then use it: require, verify, where(),
// the bin, a worker thread. The install must compile nothing: the addon comes
// from prebuilds/, and the package has no build tree.
//
// It packs in the source tree, so it runs only when
// TRUSTBUNDLE_NODE_INSTALL_TEST=1 (ci/test-node runs it on its own, after the
// other files).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { test, describe, before, after } = require('node:test');

const h = require('./helpers');

const enabled = process.env.TRUSTBUNDLE_NODE_INSTALL_TEST === '1';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function sh(cmd, args, cwd, extraEnv = {}) {
  return execFileSync(cmd, args, {
    cwd,
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('npm pack + npm install in a fresh project', { skip: !enabled && 'set TRUSTBUNDLE_NODE_INSTALL_TEST=1 (ci/test-node does)' }, () => {
  let work;
  let tarball;
  let project;
  let installLog;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tbnode-install-'));
    const packOut = sh(npm, ['pack', '--json', '--pack-destination', work], h.PACKAGE_DIR);
    const packed = JSON.parse(packOut.slice(packOut.search(/^\[/m)));  // lifecycle output may come first
    tarball = path.join(work, packed[0].filename);
    project = path.join(work, 'app');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'tbnode-install-check', version: '1.0.0', private: true }));
    // No toolchain: every compiler and build tool is a script that fails.
    const noTools = path.join(work, 'no-tools');
    fs.mkdirSync(noTools);
    for (const tool of ['cmake', 'make', 'ninja', 'cc', 'gcc', 'c++', 'g++', 'clang', 'clang++']) {
      fs.writeFileSync(path.join(noTools, tool), `#!/bin/sh\necho "${tool} ran during the install" >&2\nexit 127\n`, { mode: 0o755 });
    }
    installLog = sh(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', tarball], project,
      { PATH: `${noTools}${path.delimiter}${process.env.PATH}` });
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds the core sources, the bundle files and no build output', () => {
    const files = sh('tar', ['-tzf', tarball], work).split('\n').filter(Boolean);
    for (const f of ['package/package.json', 'package/index.js', 'package/index.d.ts', 'package/CMakeLists.txt',
                     'package/prebuilds/linux-x64/trustbundle.node', 'package/LICENSE', 'package/NOTICE',
                     'package/src/addon.cpp', 'package/scripts/build.js', 'package/bin/trustbundle.js',
                     'package/core/include/trustbundle/trustbundle.h', 'package/core/src/abi/capi.cpp',
                     'package/core/cli/cli_main.cpp',
                     'package/core/data/bundle_data.inc', 'package/cacert.pem', 'package/README.md']) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    assert.equal(files.filter((f) => f.startsWith('package/capath/')).length, 119);
    for (const f of files) assert.doesNotMatch(f, /^package\/(build|node_modules)\/|tsconfig|\.tgz$/, f);
    assert.ok(!fs.existsSync(path.join(h.PACKAGE_DIR, 'core')), 'postpack removed the staged copy');
    assert.ok(!fs.existsSync(path.join(h.PACKAGE_DIR, 'prebuilds')), 'postpack removed the prebuild');
  });

  test('the tarball holds the prebuilt addon, the Node-API entry points only, no OpenSSL of its own', () => {
    const addon = path.join(work, 'package', 'prebuilds', `${process.platform}-${process.arch}`, 'trustbundle.node');
    sh('tar', ['-xzf', tarball, '-C', work, `package/prebuilds/${process.platform}-${process.arch}/trustbundle.node`], work);
    const exported = sh('nm', ['-D', '--defined-only', addon], work).split('\n').filter(Boolean).map((l) => l.split(' ').pop()).sort();
    assert.deepEqual(exported, ['napi_register_module_v1', 'node_api_module_get_api_version_v1']);
    assert.doesNotMatch(sh('readelf', ['-d', addon], work), /NEEDED.*lib(ssl|crypto)/);
  });

  test('the install compiled nothing: the prebuilt addon, no build tree, no cmake-js', () => {
    const pkg = path.join(project, 'node_modules', 'trustbundle');
    assert.match(installLog, /using the prebuilt addon prebuilds\/linux-x64\/trustbundle\.node; nothing to compile/);
    assert.doesNotMatch(installLog, /ran during the install|building the addon|cmake-js|core sources from/);
    assert.ok(!fs.existsSync(path.join(pkg, 'build')), 'no build/ in the installed package');
    for (const dep of ['cmake-js', 'node-addon-api', 'node-api-headers']) {
      assert.ok(!fs.existsSync(path.join(project, 'node_modules', dep)), `${dep} is not installed`);
    }
    const from = sh(process.execPath, ['-e', "require('trustbundle').roots(); console.log(require('trustbundle/lib/native').addonPath())"], project).trim();
    assert.equal(from, path.join(pkg, 'prebuilds', 'linux-x64', 'trustbundle.node'));
  });

  test('require, verify, where() in the installed package', () => {
    const script = `
      const tb = require('trustbundle');
      const fs = require('fs');
      const chain = [fs.readFileSync(process.argv[1] + '/valid/leaf.pem'), fs.readFileSync(process.argv[1] + '/valid/intermediate.pem')];
      (async () => {
        const verified = await tb.verify(chain, { host: 'a.example.test', at: '2026-06-01T00:00:00Z', extraCa: process.argv[1] + '/root.pem' });
        let code = null;
        try { tb.verifySync(chain, { host: 'a.example.test', at: '2026-06-01T00:00:00Z' }); } catch (e) { code = e.code; }
        const { Worker } = require('worker_threads');
        const inWorker = await new Promise((resolve, reject) => {
          const w = new Worker("const tb = require('trustbundle'); require('worker_threads').parentPort.postMessage(new tb.Store().extraCount + ':' + tb.roots().length)", { eval: true });
          w.once('message', resolve); w.once('error', reject);
        });
        console.log(JSON.stringify({
          resolved: require.resolve('trustbundle'), where: tb.where(), capath: tb.whereCapath(),
          same: fs.readFileSync(tb.where(), 'ascii') === tb.pem(), verified: verified.length, code,
          roots: tb.rootCertificates.length, ctx: tb.secureContext() === tb.secureContext(), inWorker,
        }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const out = JSON.parse(sh(process.execPath, ['-e', script, h.pki()], project));
    const pkg = path.join(project, 'node_modules', 'trustbundle');
    assert.equal(out.resolved, path.join(pkg, 'index.js'));
    assert.equal(out.where, path.join(pkg, 'cacert.pem'));
    assert.equal(out.capath, path.join(pkg, 'capath'));
    assert.deepEqual({ same: out.same, verified: out.verified, code: out.code, roots: out.roots, ctx: out.ctx, inWorker: out.inWorker },
      { same: true, verified: 3, code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', roots: 119, ctx: true, inWorker: '0:119' });
  });

  test('the bin through npx: the core\'s tool', () => {
    const info = JSON.parse(sh(npm, ['exec', '--no', '--', 'trustbundle', 'info', '--json'], project));
    assert.equal(info.root_count, 119);
    const where = sh(npm, ['exec', '--no', '--', 'trustbundle', 'where'], project).trimEnd();
    assert.equal(fs.readFileSync(where, 'ascii'), fs.readFileSync(path.join(project, 'node_modules', 'trustbundle', 'cacert.pem'), 'ascii'));
  });
});
