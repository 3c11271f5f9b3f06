'use strict';
// agent(): an https.Agent whose every connection goes through lib/connect.js,
// so the core's verify() accepts or rejects the chain, sessions resumed
// included, before the request is written.

const https = require('node:https');

const { clientOptions, CONNECT_KEYS } = require('./client');
const connectModule = require('./connect');

// https.Agent's own options, then what it passes on to tls.connect.
const AGENT_KEYS = new Set(['keepAlive', 'keepAliveMsecs', 'maxSockets', 'maxTotalSockets', 'maxFreeSockets',
                            'scheduling', 'timeout', 'maxCachedSessions', ...CONNECT_KEYS]);

const CHECKER = Symbol('trustbundle.checker');
const CONTEXT = Symbol('trustbundle.context');

class VerifyingAgent extends https.Agent {
  constructor(options, checker, secureContext) {
    super(options);
    this[CHECKER] = checker;
    this[CONTEXT] = secureContext;
  }

  // https.Agent's createConnection with connect() in place of tls.connect:
  // the same session cache (a session is cached only once the check passed:
  // Node emits 'session' after it), evicted when a socket fails.
  createConnection(options) {
    const agentKey = options._agentKey;
    let connectOptions = options;
    if (agentKey) {
      const session = this._getSession(agentKey);
      if (session) connectOptions = { session, ...options };
    }
    const socket = connectModule.connect(connectOptions, this[CHECKER], this[CONTEXT]);
    if (agentKey) {
      socket.on('session', (session) => this._cacheSession(agentKey, session));
      socket.once('close', (hadError) => { if (hadError) this._evictSession(agentKey); });
    }
    return socket;
  }
}

/**
 * An https.Agent that accepts a server iff trustbundle's verify() accepts the
 * chain it sent, for the request's servername (else host), now, with the
 * extra CAs. keepAlive is on by default, as with https.globalAgent.
 */
function agent(opts) {
  const { checker, secureContext, rest } = clientOptions(opts, AGENT_KEYS, 'agent');
  return new VerifyingAgent({ keepAlive: true, ...rest }, checker, secureContext);
}

/** tls.connect(options[, callback]) with the same check; options as agent()'s plus host/port. */
function connect(opts, callback) {
  const o = { ...opts };
  const { checker, secureContext, rest } = clientOptions(o, AGENT_KEYS, 'connect');
  const socket = connectModule.connect(rest, checker, secureContext);
  if (typeof callback === 'function') socket.once('secureConnect', callback);
  return socket;
}

module.exports = { agent, connect, VerifyingAgent };
