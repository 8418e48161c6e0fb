/*
 * hachat web agent desktop: plain JavaScript over the agent API (docs/agent-api.md, docs/desktop.md)
 * through desktop-link.js, which holds the socket and reconnects by itself; offers and invitations
 * are desktop-calls.js's, the sending of lines desktop-outbox.js's. After a reconnect this
 * page sets the state it had and, per chat, refreshes after the last index it showed, as
 * dev.hachat.interaction.client.AgentSession does. Entries are shown once each, in index order
 * (told apart by index); internal ones (a consult) are marked "agents only". Every value is
 * inserted as text.
 */
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    status: $('status'), loginForm: $('login-form'), agentId: $('agent-id'),
    password: $('password'), token: $('token'), nickname: $('nickname'), login: $('login'),
    loginError: $('login-error'), desk: $('desk'), me: $('me'), stateNow: $('state-now'),
    stateForm: $('state-form'), state: $('state'), reason: $('reason'),
    stateError: $('state-error'), offers: $('offers'), noOffers: $('no-offers'),
    notices: $('notices'), tabs: $('tabs'), panels: $('panels'), noChats: $('no-chats'),
    template: $('panel-template')
  };

  var creds = null; // {agentId, nickname, password, token}
  var me = { state: 'NotReady', reason: '' };
  var desktop = { cannedResponses: [], dispositions: [] };
  var chats = new Map(); // chatId -> chat (see openChat)
  var gone = new Set(); // chats it left or transferred: late entry events open no tab for them
  var tabs = 0; // tabs made so far, for their element ids
  var active = null; // chatId of the shown tab
  var stats = { resends: 0, sent: 0 };
  var link = window.HachatAgentLink({
    event: onEvent,
    claims: function () {
      return Array.from(chats.values()).filter(function (c) { return !c.ended; })
        .map(function (c) { return c.id; });
    },
    loggedIn: loggedIn,
    restore: restore,
    lost: function (code) {
      setStatus('retrying', 'Connection lost (' + code + '); reconnecting…');
      notice('connection lost (' + code + '); reconnecting', 'DISCONNECTED');
      calls.dropOffers(); // the server withdrew them
    },
    reconnected: function () {
      setStatus('ok', 'Connected as ' + creds.agentId);
      notice('reconnected; caught up with every chat', 'RECONNECTED');
      chats.forEach(function (c) { out.pump(c); });
    },
    stopped: function (text, code) {
      setStatus('error', text);
      notice(text, code);
    }
  });
  var request = link.request;
  var out = window.HachatDesktopOutbox({ link: link, stats: stats, errorText: errorText,
    acked: function (c, entry) { addEntry(c, entry); } });
  var calls = window.HachatDesktopCalls({
    list: ui.offers, none: ui.noOffers, request: request, el: el, errorText: errorText,
    opened: opened
  });
  window.hachatDesktop = {
    stats: stats,
    reconnects: link.reconnects,
    state: function () { return { state: me.state, reason: me.reason, online: link.online() }; },
    chats: function () {
      return Array.from(chats.values()).map(function (c) {
        return { chatId: c.id, last: c.last, ended: c.ended, unread: c.unread };
      });
    }
  };

  // ---- helpers --------------------------------------------------------------------------------

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); })
      .join('');
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function errorText(e) {
    return (e && e.code ? e.code + ': ' : '') + ((e && e.message) || String(e));
  }

  function setStatus(state, text) {
    ui.status.dataset.state = state;
    ui.status.textContent = text;
  }

  function notice(text, code) {
    var li = el('li', 'notice', new Date().toLocaleTimeString() + ' ' + text);
    if (code) { li.dataset.code = code; }
    ui.notices.appendChild(li);
    while (ui.notices.children.length > 5) { ui.notices.firstChild.remove(); }
  }

  /** After a reconnect: the state it had, and the entries it missed in each chat. */
  function restore() {
    var st = me.state === 'NotReady' && !me.reason
      ? Promise.resolve()
      : request('setState', { state: me.state, reason: me.reason }).then(showState);
    var missed = Array.from(chats.values()).filter(function (c) { return !c.ended; })
      .map(function (c) {
        return request('refresh', { chatId: c.id, after: c.last }).then(function (slice) {
          (slice.entries || []).forEach(function (e) { addEntry(c, e); });
        }, function () {});
      });
    return Promise.all([st.catch(function () {})].concat(missed));
  }

  function loggedIn(reply) {
    if (reply.desktop) { desktop = reply.desktop; }
    showState(reply);
    ui.me.textContent = reply.agentId;
    chats.forEach(function (c) { c.fill(); });
  }

  // ---- events ---------------------------------------------------------------------------------

  function onEvent(f) {
    var c = f.chatId ? chats.get(f.chatId) : null;
    switch (f.event) {
      case 'offer': calls.offer(f); break;
      case 'offerRevoked': calls.offerGone(f.offerId); break;
      case 'invite': calls.invite(f); break;
      case 'inviteRevoked': calls.inviteGone(f.chatId); break;
      case 'state': showState(f); break;
      case 'entry':
        if (!c && gone.has(f.chatId)) { break; }
        if (!c) { c = openChat(f.chatId, {}); }
        addEntry(c, f.entry || {});
        break;
      case 'notice':
        if (c && f.code === 'RESTORED') {
          chatNotice(c, 'Restored on another server; it goes on.', 'RESTORED');
        } else if (c) {
          chatNotice(c, f.text || f.code, f.code);
        } else {
          notice(f.text || f.code, f.code);
        }
        break;
      case 'chatClosed': if (c) { ended(c, f.reason); } break;
      default: break;
    }
  }

  // ---- state ----------------------------------------------------------------------------------

  function showState(s) {
    me.state = s.state || me.state;
    me.reason = s.reason || '';
    ui.stateNow.dataset.state = me.state;
    ui.stateNow.textContent = me.state + (me.reason ? ' (' + me.reason + ')' : '');
    ui.state.value = me.state;
  }

  ui.stateForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    ui.stateError.textContent = '';
    var state = ui.state.value;
    request('setState', { state: state, reason: state === 'NotReady' ? ui.reason.value.trim() : '' })
      .then(showState, function (e) { ui.stateError.textContent = errorText(e); });
  });

  // ---- chats ----------------------------------------------------------------------------------

  /**
   * An accept's or a join's reply: the chat's tab with the transcript so far. A join says how
   * (mode consult: the agent's lines go to the agents only) and who invited it.
   */
  function opened(r, info) {
    gone.delete(r.chatId);
    var entries = r.entries || [];
    var client = entries.find(function (e) { return e.from && e.from.type === 'Client'; });
    if (!info.customer && client) { info.customer = client.from.nickname; }
    var c = openChat(r.chatId, info);
    if (r.mode) { c.setMode(r.mode, r.from); }
    entries.forEach(function (e) { addEntry(c, e); });
  }

  /** The tab and panel of a chat, made on its accept or on its first entry. */
  function openChat(chatId, info) {
    var c = chats.get(chatId);
    if (c) {
      if (info.customer) { c.setTitle(info); }
      return c;
    }
    var panel = ui.template.content.firstElementChild.cloneNode(true);
    var q = function (cls) { return panel.querySelector('.' + cls); };
    var tab = el('button', 'tab');
    tab.type = 'button';
    tab.setAttribute('role', 'tab');
    var label = el('span', 'label', 'chat');
    var badge = el('span', 'unread');
    badge.setAttribute('aria-label', 'unread messages');
    tab.append(label, badge);
    var slug = 'chat-' + (++tabs);
    tab.id = slug + '-tab';
    panel.id = slug + '-panel';
    tab.setAttribute('aria-controls', panel.id);
    panel.setAttribute('aria-labelledby', tab.id);
    tab.dataset.chatId = panel.dataset.chatId = chatId;
    c = {
      id: chatId, last: 0, seen: new Set(), ended: false, unread: 0, outbox: [], sending: false,
      tab: tab, badge: badge, panel: panel, transcript: q('transcript'), typing: q('typing'),
      message: q('message'), error: q('chat-error'), typingTimer: null, nickname: {}
    };
    c.setTitle = function (i) {
      label.textContent = i.customer || 'chat';
      q('chat-title').textContent = (i.customer || 'Customer') + (i.subject ? ' — ' + i.subject : '');
      q('chat-meta').textContent = (i.queue ? 'queue ' + i.queue + ' · ' : '') + 'chat ' + chatId;
    };
    c.fill = function () { fillLists(c); };
    c.setMode = function (mode, from) {
      c.mode = mode;
      panel.dataset.mode = mode;
      var consult = mode === 'consult';
      q('mode-note').hidden = !consult;
      if (consult) {
        label.textContent += ' (consult)';
        c.message.placeholder = 'Consult: your lines go to the agents only';
      }
      q('chat-meta').textContent += ' · ' + (consult ? 'consulting' : 'conference') +
        (from ? ', invited by ' + from : '');
    };
    c.setTitle(info);
    c.fill();
    chats.set(chatId, c);
    ui.tabs.appendChild(tab);
    ui.panels.appendChild(panel);
    ui.noChats.hidden = true;
    tab.addEventListener('click', function () { show(chatId); });
    wirePanel(c, q);
    if (!active || !chats.has(active)) { show(chatId); } else { panel.hidden = true; tab.setAttribute('aria-selected', 'false'); }
    return c;
  }

  function fillLists(c) {
    var canned = c.panel.querySelector('.canned');
    canned.replaceChildren();
    desktop.cannedResponses.forEach(function (t) { canned.appendChild(el('option', '', t)); });
    c.panel.querySelector('.canned-row').hidden = desktop.cannedResponses.length === 0;
    var disp = c.panel.querySelector('.disposition');
    var none = el('option', '', desktop.dispositions.length ? '— choose —' : '(none configured)');
    none.value = '';
    disp.replaceChildren(none);
    desktop.dispositions.forEach(function (t) { disp.appendChild(el('option', '', t)); });
  }

  function show(chatId) {
    active = chatId;
    chats.forEach(function (c) {
      var on = c.id === chatId;
      c.panel.hidden = !on;
      c.tab.setAttribute('aria-selected', on ? 'true' : 'false');
      c.tab.tabIndex = on ? 0 : -1;
      if (on) {
        c.unread = 0;
        c.badge.textContent = '';
        c.tab.classList.remove('has-unread');
      }
    });
  }

  ui.tabs.addEventListener('keydown', function (ev) {
    if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') { return; }
    var ids = Array.from(chats.keys());
    var i = ids.indexOf(active) + (ev.key === 'ArrowRight' ? 1 : -1);
    var next = ids[(i + ids.length) % ids.length];
    if (next) { show(next); chats.get(next).tab.focus(); }
  });

  /** Places an element in index order: key = its index (a notice: after the last index). */
  function place(c, li, key) {
    li.dataset.key = key;
    var after = Array.prototype.find.call(c.transcript.children, function (x) {
      return x !== li && Number(x.dataset.key) > key;
    });
    c.transcript.insertBefore(li, after || null);
    c.transcript.scrollTop = c.transcript.scrollHeight;
  }

  function chatNotice(c, text, code) {
    var li = el('li', 'notice', text);
    if (code) { li.dataset.code = code; }
    place(c, li, c.last + 0.5);
  }

  function bubble(kind, who, text) {
    var li = el('li', 'msg ' + kind);
    li.append(el('span', 'who', who), el('span', 'text', text));
    return li;
  }

  /** Shows one entry once (by index), in index order. */
  function addEntry(c, e) {
    if (typeof e.index !== 'number' || c.seen.has(e.index)) { return; }
    c.seen.add(e.index);
    c.last = Math.max(c.last, e.index);
    var from = e.from || {};
    var who = from.nickname || from.type || 'system';
    var agent = from.type === 'Agent' || from.type === 'Supervisor';
    switch (e.type) {
      case 'Message': {
        if (!agent) { c.typing.textContent = ''; }
        var mine = e.clientMessageId && c.outbox.find(function (m) {
          return m.clientMessageId === e.clientMessageId;
        });
        var li = mine ? mine.el : bubble(agent ? 'agent' : (from.type || 'system').toLowerCase(),
          who, e.text);
        if (mine) { out.delivered(c, mine); }
        internal(li, e);
        li.dataset.index = e.index;
        place(c, li, e.index);
        if (!agent) { unread(c); }
        break;
      }
      case 'ParticipantJoined': indexed(c, e, who + ' joined the chat.'); break;
      case 'ParticipantLeft': indexed(c, e, who + ' left the chat.'); break;
      case 'TypingStarted':
        if (!agent) { c.typing.textContent = who + ' is typing…'; }
        break;
      case 'TypingStopped':
        if (!agent) { c.typing.textContent = ''; }
        break;
      default: indexed(c, e, e.text || e.type); // Notice, CustomNotice and newer kinds
    }
  }

  function indexed(c, e, text) {
    var li = el('li', 'notice', text);
    internal(li, e);
    li.dataset.index = e.index;
    place(c, li, e.index);
  }

  /** An internal entry (visibility Int: a consult) says so in words, not by its colour alone. */
  function internal(li, e) {
    if (e.visibility !== 'Int' || li.classList.contains('internal')) { return; }
    li.classList.add('internal');
    li.prepend(el('span', 'tag', 'agents only'));
  }

  function unread(c) {
    if (c.id === active) { return; }
    c.unread++;
    c.badge.textContent = String(c.unread);
    c.tab.classList.add('has-unread');
  }

  function ended(c, reason) {
    if (c.ended) { return; }
    c.ended = true;
    c.typing.textContent = '';
    chatNotice(c, 'The chat ended (' + (reason || 'closed') + ').', 'CLOSED');
    c.tab.classList.add('ended');
    c.panel.querySelectorAll('textarea, input, select, .send, .insert, .close-chat, .leave,' +
      ' .transfer, .invite, .consult').forEach(function (x) { x.disabled = true; });
    c.panel.querySelector('.dismiss').hidden = false;
    c.outbox.forEach(function (m) { out.failed(m, 'chat ended'); });
    c.outbox = [];
  }

  function removeChat(c) {
    chats.delete(c.id);
    if (!c.ended) { gone.add(c.id); }
    c.tab.remove();
    c.panel.remove();
    if (active === c.id) {
      active = null;
      var first = chats.keys().next();
      if (!first.done) { show(first.value); }
    }
    ui.noChats.hidden = chats.size > 0;
  }

  // ---- sending --------------------------------------------------------------------------------

  function sendTyped(c) {
    var text = c.message.value.trim();
    if (!text || c.ended) { return; }
    c.message.value = '';
    out.stopTyping(c);
    var li = bubble('agent mine pending', creds.nickname || creds.agentId, text);
    var meta = el('span', 'meta', 'sending…');
    li.appendChild(meta);
    var m = { clientMessageId: newId(), text: text, el: li, meta: meta, at: Date.now() };
    li.dataset.clientMessageId = m.clientMessageId;
    place(c, li, Number.MAX_SAFE_INTEGER);
    c.outbox.push(m);
    out.pump(c);
  }

  // ---- a chat's controls ----------------------------------------------------------------------

  function wirePanel(c, q) {
    var fail = function (e) { c.error.textContent = errorText(e); };
    var ok = function () { c.error.textContent = ''; };
    q('send-form').addEventListener('submit', function (ev) { ev.preventDefault(); sendTyped(c); });
    c.message.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        sendTyped(c);
      }
    });
    c.message.addEventListener('input', function () { out.startTyping(c); });
    q('insert').addEventListener('click', function () {
      var t = q('canned').value;
      if (!t) { return; }
      c.message.value = c.message.value ? c.message.value + ' ' + t : t;
      c.message.focus();
    });
    q('close-chat').addEventListener('click', function () {
      var disposition = q('disposition-text').value.trim() || q('disposition').value;
      request('close', disposition ? { chatId: c.id, disposition: disposition } : { chatId: c.id })
        .then(ok, fail);
    });
    q('leave').addEventListener('click', function () {
      request('leave', { chatId: c.id }).then(function () { removeChat(c); }, fail);
    });
    q('dismiss').addEventListener('click', function () { removeChat(c); });
    q('transfer').addEventListener('click', function () {
      var kind = q('transfer-kind').value; // agentId or queue
      var target = q('transfer-target').value.trim();
      if (!target) { return; }
      var fields = { chatId: c.id };
      fields[kind] = target;
      request('transfer', fields).then(function () { // the agent is out of the chat
        removeChat(c);
        notice('chat with ' + (q('chat-title').textContent || c.id) + ' transferred to ' +
          (kind === 'queue' ? 'queue ' : 'agent ') + target, 'TRANSFERRED');
      }, fail);
    });
    q('invite').addEventListener('click', function () {
      var agentId = q('invite-agent').value.trim();
      if (!agentId) { return; }
      request('invite', { chatId: c.id, agentId: agentId, mode: q('invite-mode').value })
        .then(ok, fail);
    });
    q('consult').addEventListener('click', function () {
      var input = q('consult-text');
      var text = input.value.trim();
      if (!text) { return; }
      request('consult', { chatId: c.id, clientMessageId: newId(), text: text })
        .then(function (r) { input.value = ''; ok(); if (r.entry) { addEntry(c, r.entry); } }, fail);
    });
  }

  // ---- login ----------------------------------------------------------------------------------

  ui.loginForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    ui.loginError.textContent = '';
    creds = {
      agentId: ui.agentId.value.trim(), nickname: ui.nickname.value.trim(),
      password: ui.password.value, token: ui.token.value.trim()
    };
    if (!creds.agentId && !creds.token) {
      ui.loginError.textContent = 'An agent id (or a token) is needed.';
      return;
    }
    ui.login.disabled = true;
    setStatus('retrying', 'Connecting…');
    link.login(creds).then(function (reply) {
      ui.password.value = ui.token.value = '';
      // chats kept from before (a reload within routing.disconnect-grace): their transcripts
      (reply.chats || []).forEach(function (id) {
        var c = openChat(id, {});
        request('refresh', { chatId: id, after: 0 }).then(function (slice) {
          (slice.entries || []).forEach(function (e) { addEntry(c, e); });
        }, function () {});
      });
      ui.loginForm.hidden = true;
      ui.desk.hidden = false;
      setStatus('ok', 'Connected as ' + reply.agentId);
    }, function (e) {
      ui.login.disabled = false;
      setStatus('error', 'Not connected');
      ui.loginError.textContent = errorText(e);
    });
  });
})();
