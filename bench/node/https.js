#!/usr/bin/env node
'use strict';
// Verified HTTPS through trustbundle.agent() against Node's default stack,
// measured side by side in one run (issue 16, "Performance").
//
//   node bench/node/https.js [--quick]
//
// The server: a Node https server on 127.0.0.1 (a child process) serving the
// test PKI's matrix/good chain (leaf + intermediate under the test root).
// The anchor: Node's own https with its default roots and
// NODE_EXTRA_CA_CERTS=<the test root>, which Node reads at start-up; so each
// side runs in fresh processes of its own, alternating. trustbundle's side
// has the same environment and trusts the test root through the same
// variable (agent() honours NODE_EXTRA_CA_CERTS), as a user who switches.
//
// 1. First verified request: in a fresh process, from before require('https')
//    (and require('trustbundle')) to the end of the response. Target <= 1.2x.
//    Node reads NODE_EXTRA_CA_CERTS before any script runs, so the anchor's
//    in-script time leaves that out: a second row times the whole process (spawn to
//    exit) as well.
// 2. Later connections: in one process with both sides warm, keep-alive off
//    (each request is a new TLS connection; both agents keep Node's session
//    cache, so most resume), median per request over alternating rounds.
//    Target <= 1.1x. Also shown: with resumption off on both sides (a full
//    handshake and, for trustbundle, a full verification each time).
// A benchmark, not a test: it prints the ratios and exits 0, or 1 when
// something could not be measured.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const PKG = process.env.TRUSTBUNDLE_NODE_PACKAGE || path.join(REPO, 'bindings', 'node');
const quick = process.argv.includes('--quick');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tbnode-https-bench-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const python = fs.existsSync(path.join(REPO, 'build', 'venv', 'bin', 'python'))
  ? path.join(REPO, 'build', 'venv', 'bin', 'python') : 'python3';
const pki = path.join(scratch, 'pki');
execFileSync(python, [path.join(REPO, 'tests', 'pki', 'generate.py'), pki], { stdio: 'ignore' });
const root = path.join(pki, 'root.pem');

// The server, in its own process so that it does not share the client's event loop.
const SERVER = `
const https = require('node:https'); const fs = require('node:fs');
const s = https.createServer({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]) },
  (req, res) => res.end('ok'));
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER, path.join(pki, 'matrix/good/served.pem'),
                                         path.join(pki, 'matrix/good/key.pem')], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve({ port: Number(String(d).trim()), stop: () => child.stdin.end() }));
    child.once('exit', () => reject(new Error('the server exited')));
  });
}

// One child: the first request (side 'tb' or 'node'), printing milliseconds.
const FIRST = `
const t0 = performance.now();
const side = process.argv[1], port = Number(process.argv[2]), pkg = process.argv[3];
const https = require('node:https');
const agent = side === 'tb' ? require(pkg).agent() : undefined;
https.get({ host: 'localhost', port, path: '/', agent }, (res) => {
  res.resume();
  res.on('end', () => { console.log(performance.now() - t0); process.exit(0); });
}).on('error', (e) => { console.error(e.message); process.exit(1); });`;

function firstRequest(side, port) {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: root };
  delete env.TRUSTBUNDLE_EXTRA_CA_CERTS;
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['-e', FIRST, side, String(port), PKG], { env, encoding: 'utf8' });
  return { script: Number(out.trim()), process: performance.now() - t0 };
}

// One child: later connections, both sides warm, alternating rounds.
const LATER = `
const https = require('node:https');
const [port, pkg, rounds, perRound, resume] = process.argv.slice(1);
const tb = require(pkg);
const sessions = resume === '1' ? {} : { maxCachedSessions: 0 };
const agents = {
  tb: tb.agent({ keepAlive: false, ...sessions }),
  node: new https.Agent({ keepAlive: false, ...sessions }),
};
const get = (agent) => new Promise((resolve, reject) => {
  https.get({ host: 'localhost', port: Number(port), path: '/', agent }, (res) => { res.resume(); res.on('end', resolve); })
    .on('error', reject);
});
(async () => {
  const per = { tb: [], node: [] };
  for (const side of ['tb', 'node']) for (let i = 0; i < 20; i++) await get(agents[side]);  // warm
  for (let r = 0; r < Number(rounds); r++) {
    for (const side of r % 2 ? ['node', 'tb'] : ['tb', 'node']) {
      const t0 = performance.now();
      for (let i = 0; i < Number(perRound); i++) await get(agents[side]);
      per[side].push((performance.now() - t0) / Number(perRound));
    }
  }
  console.log(JSON.stringify(per));
})().catch((e) => { console.error(e.message); process.exit(1); });`;

function laterConnections(port, resume) {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: root };
  delete env.TRUSTBUNDLE_EXTRA_CA_CERTS;
  const rounds = quick ? 6 : 16;
  const out = execFileSync(process.execPath, ['-e', LATER, String(port), PKG, String(rounds), '25', resume ? '1' : '0'],
                           { env, encoding: 'utf8' });
  const per = JSON.parse(out);
  return { tb: median(per.tb), node: median(per.node) };
}

function row(what, ours, anchor, target, limit) {
  const ratio = ours / anchor;
  const verdict = limit === null ? '' : ratio <= limit ? ': met' : ': NOT met';
  console.log(`${what.padEnd(62)} ${`${ours.toFixed(2)} ms`.padStart(10)} ${`${anchor.toFixed(2)} ms`.padStart(10)} ` +
              `${`${ratio.toFixed(2)}x`.padStart(7)}  ${target}${verdict}`);
}

(async () => {
  let server;
  try {
    server = await startServer();
  } catch (e) {
    fail(`cannot start the server: ${e.message}`);
  }
  try {
    const runs = quick ? 7 : 21;
    const first = { tb: [], node: [] };
    firstRequest('tb', server.port);  // the page cache warm for both
    firstRequest('node', server.port);
    for (let i = 0; i < runs; i++) {
      for (const side of i % 2 ? ['node', 'tb'] : ['tb', 'node']) first[side].push(firstRequest(side, server.port));
    }
    const firstOf = (side, what) => median(first[side].map((r) => r[what]));
    const later = laterConnections(server.port, true);
    const full = laterConnections(server.port, false);
    console.log(`trustbundle Node HTTPS benchmark: node ${process.versions.node}, OpenSSL ${process.versions.openssl}; ` +
                `server: 127.0.0.1, test PKI matrix/good (leaf + intermediate)\n`);
    console.log(`${'measure'.padEnd(62)} ${'trustbundle'.padStart(10)} ${'anchor'.padStart(10)} ${'ratio'.padStart(7)}  target`);
    row('1. first verified request, fresh process (agent() vs default)', firstOf('tb', 'script'), firstOf('node', 'script'), '<= 1.2x', 1.2);
    row('   the same, whole process (start-up and exit included)', firstOf('tb', 'process'), firstOf('node', 'process'), '<= 1.2x', 1.2);
    row('2. later connections, keep-alive off (sessions resumed)', later.tb, later.node, '<= 1.1x', 1.1);
    row('   (info) later connections, resumption off on both sides', full.tb, full.node, '', null);
    console.log('\nanchor: https with its default roots and NODE_EXTRA_CA_CERTS=<test root>; medians of ' +
                `${runs} fresh processes per side (row 1) and of alternating rounds of 25 requests (row 2)`);
  } catch (e) {
    fail(e.message);
  } finally {
    server.stop();
  }
})();
