// Supervisor page: queues, agents and the instance state table of the interaction server
// (agent API "status" every second), and any chat watched read-only ("monitor") or joined as an
// agent ("bargeIn"). Every value is inserted as text, never as markup.
(function () {
  'use strict';
  var ws = null, nextId = 1, pending = {}, watched = null, joined = false, shown = {};
  var $ = function (id) { return document.getElementById(id); };
  function status(text) { $('status').textContent = text; }
  function request(op, fields) {
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      var frame = Object.assign({ type: 'request', id: id, op: op }, fields || {});
      pending[id] = { resolve: resolve, reject: reject };
      ws.send(JSON.stringify(frame));
    });
  }
  function cell(row, text, num) {
    var td = document.createElement('td');
    td.textContent = String(text);
    if (num) { td.className = 'num'; }
    row.appendChild(td);
    return td;
  }
  function seconds(ms) { return (ms / 1000).toFixed(1) + ' s'; }
  function watchButtons(td, chatIds) {
    (chatIds || []).forEach(function (chatId) {
      var b = document.createElement('button');
      b.type = 'button'; b.className = 'chat';
      b.textContent = 'watch ' + chatId.slice(0, 6);
      b.title = 'watch chat ' + chatId + ' read-only';
      b.addEventListener('click', function () { watch(chatId); });
      td.appendChild(b);
    });
  }
  function render(s) {
    $('ixn').textContent = s.id || '';
    $('routing').textContent = s.routing ? 'routes (epoch ' + s.epoch + ')' : 'does not route';
    var q = $('queues');
    q.replaceChildren();
    s.queues.forEach(function (x) {
      var tr = document.createElement('tr');
      cell(tr, x.queue); cell(tr, x.waiting, true); cell(tr, seconds(x.longestWaitMs), true);
      watchButtons(cell(tr, ''), x.chatIds);
      q.appendChild(tr);
    });
    var a = $('agents');
    a.replaceChildren();
    s.agents.forEach(function (x) {
      var tr = document.createElement('tr');
      tr.className = x.online ? x.state : 'offline';
      cell(tr, x.agentId); cell(tr, x.state); cell(tr, x.reason || '');
      cell(tr, x.stateMs ? seconds(x.stateMs) : '–', true);
      var chats = cell(tr, '');
      watchButtons(chats, x.chatIds);
      if (!(x.chatIds || []).length) { chats.textContent = String(x.chats); }
      cell(tr, x.capacity, true); cell(tr, x.online ? 'yes' : 'no');
      a.appendChild(tr);
    });
    var n = $('instances');
    n.replaceChildren();
    (s.instances || []).forEach(function (x) {
      var tr = document.createElement('tr');
      if (x.alive === false) { tr.className = 'stale'; }
      cell(tr, x.id); cell(tr, x.kind); cell(tr, x.state || '');
      cell(tr, x.sessions, true); cell(tr, x.limit, true);
      cell(tr, x.heartbeatAgeMs < 0 ? '–' : seconds(x.heartbeatAgeMs) + ' ago', true);
      cell(tr, x.version || ''); cell(tr, x.connected ? 'yes' : 'no');
      n.appendChild(tr);
    });
    status('updated ' + new Date().toLocaleTimeString());
  }
  function showEntry(e) {
    if (shown[e.index]) { return; }
    shown[e.index] = true;
    var li = document.createElement('li');
    li.value = e.index;
    var from = e.from || {};
    li.className = (e.visibility || 'All') + ' ' + (from.type || '');
    li.textContent = (from.nickname || from.type || '') + ' · ' + e.type +
      (e.text ? ': ' + e.text : '') + (e.visibility === 'Int' ? ' (agents only)' : '');
    $('transcript').appendChild(li);
    li.scrollIntoView({ block: 'nearest' });
  }
  function watch(chatId) {
    var start = watched ? request('unmonitor', { chatId: watched }).catch(function () {}) : Promise.resolve();
    start.then(function () {
      watched = chatId; joined = false; shown = {};
      $('transcript').replaceChildren();
      $('watched').textContent = chatId;
      $('watchmode').textContent = '(read-only)';
      $('watch').hidden = false; $('say').hidden = true; $('barge').hidden = false;
      return request('monitor', { chatId: chatId });
    }).then(function (r) { r.entries.forEach(showEntry); })
      .catch(function (e) { status('cannot watch ' + chatId + ': ' + e.message); });
  }
  $('barge').addEventListener('click', function () {
    request('bargeIn', { chatId: watched }).then(function (r) {
      joined = true; r.entries.forEach(showEntry);
      $('watchmode').textContent = '(joined as agent)';
      $('barge').hidden = true; $('say').hidden = false;
    }).catch(function (e) { status('barge-in failed: ' + e.message); });
  });
  $('stopwatch').addEventListener('click', function () {
    var op = joined ? 'leave' : 'unmonitor';
    request(op, { chatId: watched }).catch(function () {}).then(function () {
      watched = null; $('watch').hidden = true;
    });
  });
  $('say').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = $('line').value.trim();
    if (!text) { return; }
    var cmid = 'sup-' + Date.now() + '-' + Math.random().toString(36).slice(2);
    request('send', { chatId: watched, clientMessageId: cmid, text: text })
      .then(function () { $('line').value = ''; })
      .catch(function (e) { status('send failed: ' + e.message); });
  });
  function onFrame(m) {
    var f = JSON.parse(m.data);
    if (f.type === 'reply') {
      var p = pending[f.id];
      delete pending[f.id];
      if (!p) { return; }
      if (f.ok) { p.resolve(f.result || {}); } else { p.reject(new Error(f.error.code + ': ' + f.error.message)); }
    } else if (f.type === 'event') {
      if (f.event === 'entry' && f.chatId === watched) { showEntry(f.entry); }
      if (f.event === 'chatClosed' && f.chatId === watched) {
        $('watchmode').textContent = '(ended: ' + f.reason + ')';
      }
      if (f.event === 'notice' && f.chatId === watched) { status(f.text); }
    }
  }
  function poll() {
    if (!ws || ws.readyState !== 1) { return; }
    request('status').then(render).catch(function (e) { status('status failed: ' + e.message); })
      .finally(function () { setTimeout(poll, 1000); });
  }
  $('login').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/agent';
    ws = new WebSocket(url);
    ws.onmessage = onFrame;
    ws.onclose = function (e) { status('disconnected (' + e.code + '); log in again'); $('login').hidden = false; };
    ws.onopen = function () {
      var fields = { agentId: $('who').value.trim(), nickname: $('who').value.trim() };
      if ($('password').value) { fields.password = $('password').value; }
      if ($('token').value) { fields.token = $('token').value; }
      request('login', fields).then(function () {
        $('me').textContent = fields.agentId;
        $('login').hidden = true; $('main').hidden = false;
        poll();
      }).catch(function (e) { status('login failed: ' + e.message); });
    };
  });
}());
