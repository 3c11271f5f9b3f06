'use strict';
// inject()/extract(): make https.globalAgent and the global dispatcher (what
// Node's global fetch and undici use when given no dispatcher) trustbundle's,
// and put back what was there.

const https = require('node:https');

const { agent } = require('./agent');
const { dispatcher, undici } = require('./dispatcher');

let saved = null;

/**
 * Sets https.globalAgent to agent(options) and the global dispatcher to
 * dispatcher(options) (the options each takes: extraCa, env, cert, key, ...).
 * Called again, it replaces them; extract() restores what was there before
 * the first call. Returns { agent, dispatcher }.
 */
function inject(options = {}) {
  const { keepAlive, ...common } = options;
  const installed = {
    agent: agent(keepAlive === undefined ? common : { ...common, keepAlive }),
    dispatcher: dispatcher(common),
  };
  const u = undici();
  if (saved === null) saved = { agent: https.globalAgent, dispatcher: u.getGlobalDispatcher() };
  https.globalAgent = installed.agent;
  u.setGlobalDispatcher(installed.dispatcher);
  return installed;
}

/** Undoes inject(): the previous https.globalAgent and global dispatcher are back. False when not injected. */
function extract() {
  if (saved === null) return false;
  const current = { agent: https.globalAgent, dispatcher: undici().getGlobalDispatcher() };
  https.globalAgent = saved.agent;
  undici().setGlobalDispatcher(saved.dispatcher);
  saved = null;
  current.agent.destroy();
  current.dispatcher.close().catch(() => {});
  return true;
}

/** True while inject() is in effect. */
function isInjected() {
  return saved !== null;
}

module.exports = { inject, extract, isInjected };
