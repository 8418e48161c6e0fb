// The cluster dashboard: polls GET /instances (the state table) and renders it. Messages/s is
// computed here from the growth of each instance's messages_in + messages_out counters.
(function () {
  'use strict';
  var last = {}; // instanceId -> {messages, at}

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function duration(ms) {
    var s = Math.floor(ms / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  function rate(row, now) {
    var k = row.kpi;
    if (!k) return null;
    var messages = (k.messages_in || 0) + (k.messages_out || 0);
    var prev = last[row.instanceId];
    last[row.instanceId] = { messages: messages, at: now };
    if (!prev || now <= prev.at) return null;
    return Math.max(0, (messages - prev.messages) * 1000 / (now - prev.at));
  }

  function render(table) {
    var now = Date.now();
    document.getElementById('gms').textContent = table.webApiServer.id;
    var rows = document.getElementById('rows');
    rows.textContent = '';
    var alive = 0, sessions = 0, total = 0, restored = 0;
    table.instances.forEach(function (r) {
      var tr = el('tr');
      tr.dataset.instance = r.instanceId;
      tr.dataset.state = r.state;
      var perSecond = rate(r, now);
      if (r.alive) { alive++; sessions += r.sessions; }
      if (perSecond !== null) total += perSecond;
      var k = r.kpi || {};
      restored += k.session_restored || 0;
      tr.appendChild(el('td', null, r.instanceId));
      var st = el('td'); st.appendChild(el('span', 'state ' + r.state, r.state)); tr.appendChild(st);
      tr.appendChild(el('td', 'num', r.alive ? String(r.sessions) : '–'));
      var lt = el('td'); var bar = el('div', 'bar'); var fill = el('div');
      fill.style.width = Math.min(100, Math.round(r.load * 100)) + '%'; bar.appendChild(fill);
      bar.title = Math.round(r.load * 100) + '% of ' + r.limit; lt.appendChild(bar); tr.appendChild(lt);
      tr.appendChild(el('td', 'num', perSecond === null ? '–' : perSecond.toFixed(1)));
      tr.appendChild(el('td', 'num', r.kpi ? String(k.session_restored || 0) : '–'));
      tr.appendChild(el('td', 'num', r.kpi ? String(k.session_evacuated || 0) : '–'));
      tr.appendChild(el('td', 'num', r.kpi ? String(k.transcript_save_failures || 0) : '–'));
      tr.appendChild(el('td', 'num', duration(r.lastHeartbeatMillisAgo) + ' ago'));
      tr.appendChild(el('td', null, r.version));
      tr.appendChild(el('td', 'num', r.alive ? duration(r.uptimeMillis) : '–'));
      rows.appendChild(tr);
    });
    var servers = document.getElementById('webapi');
    servers.textContent = 'Web API servers: ';
    (table.webApiServers || []).forEach(function (w, i) {
      if (i > 0) servers.appendChild(document.createTextNode(' · '));
      var s = el('span', 'server');
      s.dataset.server = w.id;
      s.dataset.state = w.state;
      s.appendChild(document.createTextNode(w.id + ' '));
      s.appendChild(el('span', 'state ' + w.state, w.state));
      if (w.self) s.appendChild(document.createTextNode(' (this one)'));
      servers.appendChild(s);
    });
    document.getElementById('t-instances').textContent = alive + ' / ' + table.instances.length;
    document.getElementById('t-sessions').textContent = sessions;
    document.getElementById('t-rate').textContent = total.toFixed(1);
    document.getElementById('t-restored').textContent = restored;
    document.getElementById('status').textContent = 'updated ' + new Date(now).toLocaleTimeString();
  }

  function poll() {
    fetch('instances', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function (e) {
        document.getElementById('status').textContent = 'cannot reach the web API server: ' + e;
      })
      .finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
