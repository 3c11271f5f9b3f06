'use strict';
// The `proxy` option of agent() and dispatcher(): an HTTP CONNECT tunnel
// through the proxy, and the verified TLS connection (lib/connect.js) inside
// it, so the check sees the origin server's chain. (A proxy library that
// makes the inner TLS connection itself, undici's ProxyAgent or
// https-proxy-agent, calls tls.connect on its own and bypasses the check.)

const http = require('node:http');

const { argError } = require('./inputs');

/** A proxy URL ('http://[user:pass@]host:port') as {host, port, auth}. */
function parseProxy(value) {
  let url;
  try {
    url = value instanceof URL ? value : new URL(String(value));
  } catch {
    throw argError(TypeError, 'ERR_INVALID_ARG_VALUE', `proxy: not a URL: ${JSON.stringify(String(value))}`);
  }
  if (url.protocol !== 'http:') {
    throw argError(TypeError, 'ERR_INVALID_ARG_VALUE', `proxy: only http:// proxies (CONNECT) are supported, not ${url.protocol}`);
  }
  const auth = url.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : null;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 80, auth };
}

/**
 * Opens a CONNECT tunnel to host:port through proxy; callback(err, socket)
 * with the raw tunnel socket, on which nothing has been written yet.
 */
function tunnel(proxy, host, port, callback) {
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const headers = { host: authority };
  if (proxy.auth) headers['proxy-authorization'] = proxy.auth;
  const req = http.request({ host: proxy.host, port: proxy.port, method: 'CONNECT', path: authority, headers, agent: false });
  let done = false;
  const finish = (err, socket) => {
    if (done) return;
    done = true;
    callback(err, socket);
  };
  req.once('connect', (res, socket, head) => {
    if (res.statusCode !== 200 || head.length > 0) {
      socket.destroy();
      const err = new Error(`proxy: CONNECT ${authority} answered ${res.statusCode} ${res.statusMessage || ''}`.trim());
      err.code = 'ERR_TRUSTBUNDLE_PROXY';
      err.statusCode = res.statusCode;
      finish(err);
      return;
    }
    finish(null, socket);
  });
  req.once('error', (err) => finish(err));
  req.end();
}

module.exports = { parseProxy, tunnel };
