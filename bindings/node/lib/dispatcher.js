'use strict';
// dispatcher(): an undici Agent for fetch (Node's global one included) and
// undici, whose TLS connections go through lib/connect.js. undici writes to a
// connection only once its connector has called back, and this connector
// calls back after 'secureConnect', which comes only from a passed check.

const net = require('node:net');

const { clientOptions } = require('./client');
const connectModule = require('./connect');
const tunnelModule = () => require('./tunnel');

// undici Agent options (v6) this dispatcher passes through; allowH2 is not
// among them (the connector offers http/1.1 only).
const DISPATCHER_KEYS = new Set(['connections', 'pipelining', 'keepAliveTimeout', 'keepAliveMaxTimeout',
                                 'keepAliveTimeoutThreshold', 'headersTimeout', 'bodyTimeout', 'connectTimeout',
                                 'maxHeaderSize', 'maxResponseSize', 'maxRedirections', 'maxRequestsPerClient',
                                 'localAddress', 'strictContentLength', 'interceptors', 'autoSelectFamily',
                                 'autoSelectFamilyAttemptTimeout', 'servername', 'maxCachedSessions', 'proxy']);
const CONNECTOR_KEYS = ['servername', 'localAddress', 'autoSelectFamily', 'autoSelectFamilyAttemptTimeout',
                        'connectTimeout', 'maxCachedSessions', 'proxy'];

const DEFAULT_CONNECT_TIMEOUT = 10000;

function undici() {
  try {
    return require('undici');
  } catch (e) {
    const err = new Error(`trustbundle.dispatcher() needs the undici package: ${e.message}`, { cause: e });
    err.code = 'ERR_TRUSTBUNDLE_NO_UNDICI';
    throw err;
  }
}

class SessionCache {
  constructor(max) {
    this.max = max;
    this.sessions = new Map();
  }

  get(key) { return this.sessions.get(key); }

  set(key, session) {
    if (this.max <= 0) return;
    this.sessions.delete(key);
    this.sessions.set(key, session);
    if (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value);
  }

  delete(key) { this.sessions.delete(key); }
}

// An undici connector: (opts, callback), calling back with the socket once
// it is verified (https:) or connected (http:, no TLS to check).
function connector(checker, secureContext, own) {
  const sessions = new SessionCache(own.maxCachedSessions === undefined ? 100 : own.maxCachedSessions);
  const timeout = own.connectTimeout === undefined ? DEFAULT_CONNECT_TIMEOUT : own.connectTimeout;
  const proxy = own.proxy === undefined || own.proxy === null ? null : tunnelModule().parseProxy(own.proxy);
  return function connect({ protocol, hostname, host, port, servername, localAddress, httpSocket }, callback) {
    const plain = protocol === 'http:';
    const name = own.servername || servername || (net.isIP(hostname) ? '' : hostname);
    const target = Number(port) || (plain ? 80 : 443);
    const key = `${name}:${hostname}:${target}`;
    let settled = false;
    let socket = null;
    let timer = null;
    const settle = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        sessions.delete(key);
        if (socket) socket.destroy();
        callback(err);
      } else {
        callback(null, socket);
      }
    };
    if (timeout > 0) {
      timer = setTimeout(() => {
        const { ConnectTimeoutError } = undici().errors;
        settle(new ConnectTimeoutError(`Connect Timeout Error (attempted address: ${host || hostname}:${target}, timeout: ${timeout}ms)`));
      }, timeout);
    }
    const open = (raw) => {
      if (settled) {
        if (raw) raw.destroy();
        return;
      }
      if (plain) {
        socket = raw || net.connect({ host: hostname, port: target, localAddress: localAddress || own.localAddress,
                                      autoSelectFamily: own.autoSelectFamily });
        socket.setNoDelay(true);
        if (raw) settle(null);
        else socket.once('connect', () => settle(null));
        socket.once('error', settle);
        return;
      }
      socket = connectModule.connect({
        host: hostname,
        port: target,
        servername: name || undefined,
        session: sessions.get(key),
        localAddress: localAddress || own.localAddress,
        socket: raw,
        ALPNProtocols: ['http/1.1'],
        autoSelectFamily: own.autoSelectFamily,
        autoSelectFamilyAttemptTimeout: own.autoSelectFamilyAttemptTimeout,
        highWaterMark: 16384,
      }, checker, secureContext);
      socket.on('session', (session) => sessions.set(key, session));
      socket.setNoDelay(true);
      socket.once('secureConnect', () => settle(null));
      socket.once('error', settle);
    };
    if (proxy && !httpSocket) {
      tunnelModule().tunnel(proxy, hostname, target, (err, raw) => (err ? settle(err) : open(raw)));
    } else {
      open(httpSocket);
    }
  };
}

/**
 * An undici Agent (a Dispatcher) that accepts a server iff trustbundle's
 * verify() accepts the chain it sent: fetch(url, { dispatcher }), undici's
 * request(url, { dispatcher }), or undici's setGlobalDispatcher().
 */
function dispatcher(opts) {
  const { checker, secureContext, rest } = clientOptions(opts, DISPATCHER_KEYS, 'dispatcher');
  const own = {};
  const agentOptions = {};
  for (const [name, value] of Object.entries(rest)) {
    if (CONNECTOR_KEYS.includes(name)) own[name] = value;
    else agentOptions[name] = value;
  }
  const { Agent } = undici();
  return new Agent({ ...agentOptions, connect: connector(checker, secureContext, own) });
}

module.exports = { dispatcher, undici };
