'use strict';
// The install test: `npm pack` in bindings/node, then `npm install
// ./trustbundle-<version>.tgz` in a fresh project outside the repository (the
// addon compiles there with this machine's node; only the npm registry is
// reached, for cmake-js and node-addon-api), then use it: require, verify,
// where(), the bin, a worker thread.
//
// Slow (a full compile) and it packs in the source tree, so it runs only when
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
    installLog = sh(npm, ['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball], project);
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds the core sources, the bundle files and no build output', () => {
    const files = sh('tar', ['-tzf', tarball], work).split('\n').filter(Boolean);
    for (const f of ['package/package.json', 'package/index.js', 'package/index.d.ts', 'package/CMakeLists.txt',
                     'package/src/addon.cpp', 'package/scripts/build.js', 'package/bin/trustbundle.js',
                     'package/core/include/trustbundle/trustbundle.h', 'package/core/src/abi/capi.cpp',
                     'package/core/cli/cli_main.cpp',
                     'package/core/data/bundle_data.inc', 'package/cacert.pem', 'package/README.md']) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    assert.equal(files.filter((f) => f.startsWith('package/capath/')).length, 119);
    for (const f of files) assert.doesNotMatch(f, /^package\/(build|node_modules)\/|tsconfig|\.tgz$/, f);
    assert.ok(!fs.existsSync(path.join(h.PACKAGE_DIR, 'core')), 'postpack removed the staged copy');
  });

  test('the install compiled the packed core, downloading no headers', () => {
    assert.match(installLog, /core sources from .*node_modules\/trustbundle\/core/);
    assert.match(installLog, /building the addon against Node's own OpenSSL/);
    assert.doesNotMatch(installLog, /Downloading|headers\.tar/i);
    assert.ok(fs.existsSync(path.join(project, 'node_modules', 'trustbundle', 'build', 'Release', 'trustbundle.node')));
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
