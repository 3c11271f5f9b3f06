'use strict';
// agent(): an https.Agent whose every connection goes through lib/connect.js,
// so the core's verify() accepts or rejects the chain, sessions resumed
// included, before the request is written.

const https = require('node:https');

const { clientOptions, CONNECT_KEYS } = require('./client');
const connectModule = require('./connect');
// lib/tunnel (and node:http) only when a proxy is given.
const tunnelModule = () => require('./tunnel');

// https.Agent's own options, then what it passes on to tls.connect.
const AGENT_KEYS = new Set(['keepAlive', 'keepAliveMsecs', 'maxSockets', 'maxTotalSockets', 'maxFreeSockets',
                            'scheduling', 'timeout', 'maxCachedSessions', 'proxy', ...CONNECT_KEYS]);

const CHECKER = Symbol('trustbundle.checker');
const CONTEXT = Symbol('trustbundle.context');
const PROXY = Symbol('trustbundle.proxy');

class VerifyingAgent extends https.Agent {
  constructor(options, checker, secureContext, proxy) {
    super(options);
    this[CHECKER] = checker;
    this[CONTEXT] = secureContext;
    this[PROXY] = proxy;
  }

  // https.Agent's createConnection with connect() in place of tls.connect:
  // the same session cache (a session is cached only once the check passed:
  // Node emits 'session' after it), evicted when a socket fails.
  // With a proxy the socket comes later, through callback, once the tunnel is open.
  createConnection(options, callback) {
    const agentKey = options._agentKey;
    let connectOptions = options;
    if (agentKey) {
      const session = this._getSession(agentKey);
      if (session) connectOptions = { session, ...options };
    }
    const open = (extra) => {
      const socket = connectModule.connect({ ...connectOptions, ...extra }, this[CHECKER], this[CONTEXT]);
      if (agentKey) {
        socket.on('session', (session) => this._cacheSession(agentKey, session));
        socket.once('close', (hadError) => { if (hadError) this._evictSession(agentKey); });
      }
      return socket;
    };
    if (!this[PROXY]) return open({});
    tunnelModule().tunnel(this[PROXY], options.host, options.port || 443, (err, raw) => {
      if (err) callback(err);
      else callback(null, open({ socket: raw }));
    });
    return undefined;
  }
}

/**
 * An https.Agent that accepts a server iff trustbundle's verify() accepts the
 * chain it sent, for the request's servername (else host), now, with the
 * extra CAs. keepAlive is on by default, as with https.globalAgent.
 */
function agent(opts) {
  const { checker, secureContext, rest } = clientOptions(opts, AGENT_KEYS, 'agent');
  const { proxy, ...agentOptions } = rest;
  return new VerifyingAgent({ keepAlive: true, ...agentOptions }, checker, secureContext,
                            proxy === undefined || proxy === null ? null : tunnelModule().parseProxy(proxy));
}

/** tls.connect(options[, callback]) with the same check; options as agent()'s plus host/port. */
function connect(opts, callback) {
  const o = { ...opts };
  const { checker, secureContext, rest } = clientOptions(o, AGENT_KEYS, 'connect');
  if (rest.proxy !== undefined) {
    throw new TypeError('connect: the proxy option is for agent() and dispatcher(); pass the tunnel as options.socket');
  }
  const socket = connectModule.connect(rest, checker, secureContext);
  if (typeof callback === 'function') socket.once('secureConnect', callback);
  return socket;
}

module.exports = { agent, connect, VerifyingAgent };
