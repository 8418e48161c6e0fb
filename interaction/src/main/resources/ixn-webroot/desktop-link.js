/*
 * The agent desktop's link to the agent API (docs/agent-api.md): one WebSocket to /agent on the
 * server that served the page, requests with replies as Promises, events handed to the page, and
 * the reconnect that dev.hachat.interaction.client.AgentSession does in Java. When the socket
 * drops (not with close code 4009: another login of this agent took its place) it waits a random
 * 100 ms - 1 s, logs in again with chats = hooks.claims(), then lets the page restore its state
 * and catch up (hooks.restore()), again after a new random pause until it is in. A credential the
 * server refuses on such a login stops it.
 *
 *   var link = HachatAgentLink({event, claims, loggedIn, restore, lost, reconnected, stopped});
 *   link.login({agentId, nickname, password, token}) -> Promise of the login reply
 *   link.request(op, fields) -> Promise of the result; rejects with {code, message}
 */
(function () {
  'use strict';

  var RECONNECT_MIN_MS = 100;
  var RECONNECT_MAX_MS = 1000;
  var CLOSE_REPLACED = 4009;

  function jitter() {
    return RECONNECT_MIN_MS + Math.random() * (RECONNECT_MAX_MS - RECONNECT_MIN_MS);
  }

  window.HachatAgentLink = function (hooks) {
    var creds = null; // kept in memory only, for the logins after a drop
    var ws = null;
    var online = false; // logged in on the current socket
    var nextId = 1;
    var pending = new Map(); // request id -> {resolve, reject}
    var stopped = false;
    var reconnects = 0;

    function request(op, fields) {
      return new Promise(function (resolve, reject) {
        if (!ws || ws.readyState !== WebSocket.OPEN || (!online && op !== 'login')) {
          reject({ code: 'DISCONNECTED', message: 'not connected; reconnecting' });
          return;
        }
        var id = nextId++;
        pending.set(id, { resolve: resolve, reject: reject });
        ws.send(JSON.stringify(Object.assign({ type: 'request', id: id, op: op }, fields || {})));
      });
    }

    function onFrame(msg) {
      var f;
      try { f = JSON.parse(msg.data); } catch (e) { return; }
      if (f.type === 'reply') {
        var p = pending.get(f.id);
        if (!p) { return; }
        pending.delete(f.id);
        if (f.ok) { p.resolve(f.result || {}); } else { p.reject(f.error || {}); }
      } else if (f.type === 'event') {
        hooks.event(f);
      }
    }

    /** Opens a socket and logs in; resolves to the login reply. */
    function connect() {
      return new Promise(function (resolve, reject) {
        var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
        var s = new WebSocket(scheme + '//' + location.host + '/agent');
        var opened = false;
        ws = s;
        s.onmessage = onFrame;
        s.onopen = function () {
          opened = true;
          var fields = { agentId: creds.agentId, nickname: creds.nickname, chats: hooks.claims() };
          if (creds.password) { fields.password = creds.password; }
          if (creds.token) { fields.token = creds.token; }
          request('login', fields).then(function (reply) {
            online = true;
            resolve(reply);
          }, function (e) {
            s.onclose = null;
            s.close();
            reject(e);
          });
        };
        s.onclose = function (ev) {
          if (!opened) { reject({ code: 'DISCONNECTED', message: 'cannot connect' }); return; }
          dropped(s, ev.code);
        };
      });
    }

    function dropped(s, code) {
      if (s !== ws) { return; }
      var was = online;
      online = false;
      pending.forEach(function (p) {
        p.reject({ code: 'DISCONNECTED', message: 'connection lost; retrying' });
      });
      pending.clear();
      if (stopped) { return; }
      if (code === CLOSE_REPLACED) {
        stopped = true;
        hooks.stopped('Another login of this agent took its place; not reconnecting.', 'REPLACED');
        return;
      }
      if (!was) { return; } // a login under way: its caller retries
      hooks.lost(code);
      setTimeout(reconnect, jitter());
    }

    function reconnect() {
      if (stopped) { return; }
      connect()
        .then(function (reply) { hooks.loggedIn(reply); return hooks.restore(); })
        .then(function () {
          reconnects++;
          hooks.reconnected();
        }, function (e) {
          if (e && (e.code === 'UNAUTHORIZED' || e.code === 'FORBIDDEN')) {
            stopped = true;
            hooks.stopped('Cannot log in again: ' + e.code + ': ' + e.message, e.code);
            return;
          }
          setTimeout(reconnect, jitter());
        });
    }

    window.addEventListener('pagehide', function () { stopped = true; });

    return {
      request: request,
      jitter: jitter,
      online: function () { return online; },
      reconnects: function () { return reconnects; },
      /** The first login; a failure leaves nothing open, so it can be tried again. */
      login: function (c) {
        creds = c;
        return connect().then(function (reply) { hooks.loggedIn(reply); return reply; });
      }
    };
  };
}());
