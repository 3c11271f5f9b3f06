'use strict';
// The shared real-client matrix's servers (tests/matrix/serve.py) for the
// Node tests: start them, read their request counters, stop them.

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');

const h = require('./helpers');

const SCENARIOS = JSON.parse(fs.readFileSync(path.join(h.REPO, 'tests', 'matrix', 'scenarios.json'), 'utf8'));

/** Starts serve.py on the test PKI; resolves to {ports, control, requests(), stop()}. */
function start() {
  const child = spawn(h.python(), [path.join(h.REPO, 'tests', 'matrix', 'serve.py'), h.pki()],
                      { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`serve.py exited (${code}) before listening`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const { ports, control } = JSON.parse(out.slice(0, nl));
      child.removeAllListeners('exit');
      resolve({
        ports,
        control,
        requests: () => counts(control),
        stop: () => new Promise((done) => { child.once('exit', done); child.stdin.end(); }),
      });
    });
  });
}

// GET /requests on the control port: {scenario: count}.
function counts(port) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/requests', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

module.exports = { SCENARIOS, start };
