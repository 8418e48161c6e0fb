// Queues and agents of one interaction server, from GET /status every second.
// Every value is inserted as text, never as markup.
(function () {
  'use strict';
  function cell(row, text, num) {
    var td = document.createElement('td');
    td.textContent = String(text);
    if (num) { td.className = 'num'; }
    row.appendChild(td);
  }
  function seconds(ms) { return (ms / 1000).toFixed(1) + ' s'; }
  function render(s) {
    document.getElementById('ixn').textContent = s.id;
    document.getElementById('instances').textContent = s.instancesConnected;
    document.getElementById('routing').textContent = s.routing
      ? 'routes (epoch ' + s.epoch + ')'
      : 'does not route (its agents use the router)';
    var q = document.getElementById('queues');
    q.replaceChildren();
    s.queues.forEach(function (x) {
      var tr = document.createElement('tr');
      cell(tr, x.queue); cell(tr, x.waiting, true); cell(tr, seconds(x.longestWaitMs), true);
      q.appendChild(tr);
    });
    var a = document.getElementById('agents');
    a.replaceChildren();
    s.agents.forEach(function (x) {
      var tr = document.createElement('tr');
      tr.className = x.online ? x.state : 'offline';
      cell(tr, x.agentId); cell(tr, x.state); cell(tr, x.reason || '');
      cell(tr, x.chats, true); cell(tr, x.capacity, true); cell(tr, x.online ? 'yes' : 'no');
      a.appendChild(tr);
    });
    document.getElementById('status').textContent =
      'updated ' + new Date().toLocaleTimeString();
  }
  function poll() {
    fetch('status', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      })
      .then(render)
      .catch(function (e) {
        document.getElementById('status').textContent = 'cannot read the status: ' + e.message;
      })
      .finally(function () { setTimeout(poll, 1000); });
  }
  poll();
}());
