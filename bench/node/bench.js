#!/usr/bin/env node
'use strict';
// trustbundle (Node) against its anchors, measured side by side in one run.
//
//   node bench/node/bench.js [--quick] [--core-build DIR]
//
// Needs the package built (ci/test-node, or `npm install` in bindings/node),
// cmake + g++ + libssl-dev for the C++ loop, and build/venv (ci/setup) for the
// test PKI. A benchmark, not a test: it prints one table of ratios with the
// issue's targets and exits 0, or 1 when something could not be measured.
//
// 1. secureContext() warm (the process already made it) against
//    tls.createSecureContext({ca: <the bundle>}) per request. Target >= 100x.
//    Also warm with an extraCa file (its identity is checked at every call).
// 2. The first secureContext() in a fresh process against the first
//    tls.createSecureContext({ca: fs.readFileSync(where())}), both with tls
//    already loaded. Target <= 1.2x the time. Also shown: the same including
//    require('tls') and require('trustbundle') (medians of fresh processes,
//    alternating).
// 3. Verification throughput against the C++ core through its C ABI
//    (bench/node/verify_loop.cpp, built here against the core's static
//    library and the system OpenSSL; the same OpenSSL release as Node's):
//    the same chain (test PKI: valid/leaf.pem + intermediate, root as an extra
//    CA), host and time. Target >= 0.7x.
//    - verifySync on one Store vs the C++ loop on one store, one thread;
//    - tb.verifySync(chain, {extraCa}) (a store per call) vs the C++ loop
//      building a store per call;
//    - informational: Store.verify() (the libuv pool, 64 in flight) vs the
//      C++ loop on 2 threads.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const tls = require('node:tls');
const { execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const SOURCE_PKG = process.env.TRUSTBUNDLE_NODE_PACKAGE || path.join(REPO, 'bindings', 'node');
const quick = process.argv.includes('--quick');
const coreBuildArg = process.argv.indexOf('--core-build');
const CORE_BUILD = coreBuildArg > 0 ? path.resolve(process.argv[coreBuildArg + 1]) : path.join(os.tmpdir(), 'tbnode-bench-core');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tbnode-bench-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
process.env.TRUSTBUNDLE_CACHE_DIR = path.join(scratch, 'cache');
delete process.env.TRUSTBUNDLE_EXTRA_CA_CERTS;

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

// ------------------------------------------------------------------ setup

// Measure the package as installed: a checkout's bindings/node ships no
// cacert.pem (npm pack stages it), so where() would take the fallback path.
// Lay out the runtime files the tarball has, with the addon already built.
function installedLayout(src) {
  if (fs.existsSync(path.join(src, 'cacert.pem'))) return src;
  const dst = path.join(scratch, 'trustbundle');
  for (const name of ['index.js', 'package.json', 'lib', 'bin', path.join('build', 'Release', 'trustbundle.node')]) {
    fs.cpSync(path.join(src, name), path.join(dst, name), { recursive: true });
  }
  fs.copyFileSync(path.join(REPO, 'core', 'data', 'cacert.pem'), path.join(dst, 'cacert.pem'));
  fs.cpSync(path.join(REPO, 'core', 'data', 'capath'), path.join(dst, 'capath'), { recursive: true });
  return dst;
}
let PKG;
try {
  PKG = installedLayout(SOURCE_PKG);
} catch (e) {
  fail(`cannot lay out the package from ${SOURCE_PKG} (${e.message}); run ci/test-node or npm install in bindings/node`);
}

let tb;
try {
  tb = require(PKG);
  tb.pem();
} catch (e) {
  fail(`cannot load the package at ${PKG} (${e.message}); run ci/test-node or npm install in bindings/node`);
}

const python = fs.existsSync(path.join(REPO, 'build', 'venv', 'bin', 'python'))
  ? path.join(REPO, 'build', 'venv', 'bin', 'python') : 'python3';
const pki = path.join(scratch, 'pki');
run(python, [path.join(REPO, 'tests', 'pki', 'generate.py'), pki]);
const root = path.join(pki, 'root.pem');
const chain = [fs.readFileSync(path.join(pki, 'valid', 'leaf.pem')), fs.readFileSync(path.join(pki, 'valid', 'intermediate.pem'))];
const verifyOptions = { host: 'a.example.test', at: '2026-06-01T00:00:00Z' };

function buildLoop() {
  console.error(`bench: building the C++ core (Release) in ${CORE_BUILD} ...`);
  try {
    run('cmake', ['-S', REPO, '-B', CORE_BUILD, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
                  '-DTRUSTBUNDLE_BUILD_TESTS=OFF', '-DTRUSTBUNDLE_BUILD_CLI=OFF']);
    run('cmake', ['--build', CORE_BUILD, '--target', 'trustbundle_core', '-j', '2']);
    const exe = path.join(CORE_BUILD, 'tbnode_verify_loop');
    run('g++', ['-std=c++17', '-O2', '-DNDEBUG', '-pthread', `-I${path.join(REPO, 'core', 'include')}`,
                path.join(__dirname, 'verify_loop.cpp'), path.join(CORE_BUILD, 'core', 'libtrustbundle_core.a'),
                '-lssl', '-lcrypto', '-o', exe]);
    return exe;
  } catch (e) {
    fail(`cannot build the C++ loop: ${e.stderr || e.message}`);
  }
  return null;
}
const loop = buildLoop();

function cppRate(seconds, threads, mode) {
  return Number(run(loop, [pki, String(seconds), String(threads), mode]).trim());
}

// ------------------------------------------------- 1. secureContext warm

function contextWarm() {
  const bundle = tb.pem();
  const plainRuns = quick ? 5 : 15;
  tls.createSecureContext({ ca: bundle });  // OpenSSL's one-time set-up is not part of "per request"
  const plain = [];
  for (let i = 0; i < plainRuns; i++) {
    const t0 = nowMs();
    tls.createSecureContext({ ca: bundle });
    plain.push(nowMs() - t0);
  }
  const perCall = (fn, calls) => {
    fn();
    const batches = [];
    for (let b = 0; b < 5; b++) {
      const t0 = nowMs();
      for (let i = 0; i < calls; i++) fn();
      batches.push((nowMs() - t0) / calls);
    }
    return median(batches);
  };
  const warm = perCall(() => tb.secureContext(), quick ? 2000 : 20000);
  // A CA file changed in the last 2 s is re-read at every call (lib/context.js):
  // measure the settled case, as a corporate CA file is.
  const age = Date.now() - fs.statSync(root).ctimeMs;
  if (age < 2500) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500 - age);
  const warmExtra = perCall(() => tb.secureContext({ extraCa: root }), quick ? 2000 : 20000);
  return { plain: median(plain), warm, warmExtra };
}

// ------------------------------------------------------ 2. cold first call

function contextCold() {
  // Each child prints "<module loading ms> <first call ms>". Both load tls
  // first (an application that makes TLS contexts has it); ours also loads
  // the package. "First call" is the first context the process makes.
  const where = tb.where();
  const ours = `
    const t0 = process.hrtime.bigint();
    require('tls');
    const tb = require(${JSON.stringify(PKG)});
    const t1 = process.hrtime.bigint();
    tb.secureContext();
    const t2 = process.hrtime.bigint();
    process.stdout.write(Number(t1 - t0) / 1e6 + ' ' + Number(t2 - t1) / 1e6);`;
  const plain = `
    const t0 = process.hrtime.bigint();
    const tls = require('tls'), fs = require('fs');
    const t1 = process.hrtime.bigint();
    tls.createSecureContext({ ca: fs.readFileSync(${JSON.stringify(where)}) });
    const t2 = process.hrtime.bigint();
    process.stdout.write(Number(t1 - t0) / 1e6 + ' ' + Number(t2 - t1) / 1e6);`;
  const env = { ...process.env };
  const runs = quick ? 7 : 21;
  const a = { load: [], first: [], whole: [] };
  const b = { load: [], first: [], whole: [] };
  const sample = (script, into) => {
    const [load, first] = run(process.execPath, ['-e', script], { env }).split(' ').map(Number);
    into.load.push(load);
    into.first.push(first);
    into.whole.push(load + first);
  };
  run(process.execPath, ['-e', ours], { env });
  run(process.execPath, ['-e', plain], { env });
  for (let i = 0; i < runs; i++) {
    sample(ours, a);
    sample(plain, b);
  }
  const m = (x) => ({ load: median(x.load), first: median(x.first), whole: median(x.whole) });
  return { ours: m(a), plain: m(b) };
}

// ---------------------------------------------------------- 3. verify rate

function nodeRate(seconds, fn) {
  fn();
  let n = 0;
  const end = nowMs() + seconds * 1000;
  const t0 = nowMs();
  while (nowMs() < end) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
  }
  return n / ((nowMs() - t0) / 1000);
}

async function nodeAsyncRate(seconds, store, inFlight) {
  await store.verify(chain, verifyOptions);
  let n = 0;
  const t0 = nowMs();
  const end = t0 + seconds * 1000;
  async function lane() {
    while (nowMs() < end) {
      await store.verify(chain, verifyOptions);
      n++;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  return n / ((nowMs() - t0) / 1000);
}

async function verifyRates() {
  const seconds = quick ? 0.5 : 1.0;
  const rounds = quick ? 3 : 5;
  const store = new tb.Store({ extraCa: root, env: false });
  const out = { cppReuse: [], nodeReuse: [], cppBuild: [], nodeBuild: [], cpp2: [], nodeAsync: [] };
  for (let r = 0; r < rounds; r++) {
    out.cppReuse.push(cppRate(seconds, 1, 'reuse'));
    out.nodeReuse.push(nodeRate(seconds, () => store.verifySync(chain, verifyOptions)));
    out.cppBuild.push(cppRate(seconds, 1, 'build'));
    out.nodeBuild.push(nodeRate(seconds, () => tb.verifySync(chain, { ...verifyOptions, extraCa: root })));
    out.cpp2.push(cppRate(seconds, 2, 'reuse'));
    out.nodeAsync.push(await nodeAsyncRate(seconds, store, 64));
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v)]));
}

// ------------------------------------------------------------------ report

function row(what, value, anchor, ratio, target) {
  console.log(`${what.padEnd(58)} ${value.padStart(14)} ${anchor.padStart(14)} ${ratio.padStart(9)}  ${target}`);
}

(async () => {
  const load = os.loadavg()[0].toFixed(2);
  const warm = contextWarm();
  const cold = contextCold();
  const rates = await verifyRates();
  const fmtMs = (ms) => (ms < 0.1 ? `${(ms * 1000).toFixed(2)} us` : `${ms.toFixed(2)} ms`);
  const fmtRate = (r) => `${Math.round(r)}/s`;
  const yes = (ok) => (ok ? 'met' : 'MISSED');

  console.log(`trustbundle Node benchmark: node ${process.versions.node}, OpenSSL ${process.versions.openssl}, ` +
              `${os.cpus().length} CPUs, load ${load} -> ${os.loadavg()[0].toFixed(2)}${quick ? ', --quick' : ''}`);
  console.log(`bundle ${tb.bundleVersion}, ${tb.roots().length} roots; chain: test PKI valid/leaf.pem + intermediate, root as extra CA\n`);
  row('measure', 'trustbundle', 'anchor', 'ratio', 'target');
  const r1 = warm.plain / warm.warm;
  row('1. secureContext() warm vs createSecureContext({ca}) per call', fmtMs(warm.warm), fmtMs(warm.plain), `${Math.round(r1)}x`, `>= 100x faster: ${yes(r1 >= 100)}`);
  const r1b = warm.plain / warm.warmExtra;
  row('   warm, with extraCa: root.pem (stat-checked per call)', fmtMs(warm.warmExtra), fmtMs(warm.plain), `${Math.round(r1b)}x`, `>= 100x faster: ${yes(r1b >= 100)}`);
  const r2 = cold.ours.first / cold.plain.first;
  row('2. first secureContext() in a fresh process', fmtMs(cold.ours.first), fmtMs(cold.plain.first), `${r2.toFixed(2)}x`, `<= 1.2x the time: ${yes(r2 <= 1.2)}`);
  const r2b = cold.ours.whole / cold.plain.whole;
  row('   (info) the same plus loading tls (+ trustbundle)', fmtMs(cold.ours.whole), fmtMs(cold.plain.whole), `${r2b.toFixed(2)}x`, '');
  const r3 = rates.nodeReuse / rates.cppReuse;
  row('3. Store.verifySync vs C++ trustbundle_verify, 1 thread', fmtRate(rates.nodeReuse), fmtRate(rates.cppReuse), `${r3.toFixed(2)}x`, `>= 0.7x: ${yes(r3 >= 0.7)}`);
  const r3b = rates.nodeBuild / rates.cppBuild;
  row('   verifySync(chain, {extraCa}) vs C++ store-per-call', fmtRate(rates.nodeBuild), fmtRate(rates.cppBuild), `${r3b.toFixed(2)}x`, `>= 0.7x: ${yes(r3b >= 0.7)}`);
  const r3c = rates.nodeAsync / rates.cpp2;
  row('   (info) Store.verify() async, 64 in flight vs C++ 2 threads', fmtRate(rates.nodeAsync), fmtRate(rates.cpp2), `${r3c.toFixed(2)}x`, '');
})().catch((e) => fail(e.stack || e.message));
