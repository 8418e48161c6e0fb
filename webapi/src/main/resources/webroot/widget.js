/*
 * hachat demo chat widget: plain JavaScript over the GMS Chat API v2 REST endpoints.
 *
 * One request at a time goes through pump(): queued sends first (in order), then a refresh from
 * the last nextPosition. Every send carries a messageId chosen here; on a network error or
 * statusCode 1 the SAME messageId is sent again after a random pause between retryMin and
 * retryMax, so a message is never lost and never duplicated, whichever instance ends up serving
 * it. The alias of every response is sent back with the next request.
 *
 * Settings: window.hachatWidgetConfig = {service, base, pollInterval, retryMin, retryMax, ...}
 * before this script; the timing settings also as URL query parameters (?retryMin=100&retryMax=800),
 * never service or base.
 */
(function () {
  'use strict';

  var config = {
    service: 'customer-support',
    base: '/genesys/2/chat',
    pollInterval: 700, // ms between refreshes while idle
    retryMin: 200, // reconnect jitter, lower bound (ms)
    retryMax: 1500, // reconnect jitter, upper bound (ms)
    requestTimeout: 40000 // ms; the web API server itself fails over within 30 s
  };
  Object.assign(config, window.hachatWidgetConfig || {});
  // Only timing may come from the page URL: where the chat goes (base, service) is the site's
  // choice, never a link's, or a crafted link could send a customer's chat elsewhere.
  new URLSearchParams(location.search).forEach(function (value, key) {
    if (typeof config[key] === 'number' && isFinite(Number(value)) && Number(value) > 0) {
      config[key] = Number(value);
    }
  });

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    status: $('status'), startForm: $('start-form'), nickname: $('nickname'),
    subject: $('subject'), start: $('start'), chat: $('chat'), transcript: $('transcript'),
    typing: $('typing'), sendForm: $('send-form'), message: $('message'), send: $('send'),
    end: $('end')
  };

  var chat = null; // {id, userId, secureKey, alias, next, ended, leaving}
  var outbox = []; // messages not yet acknowledged: {messageId, text, el}
  var busy = false;
  var pollTimer = null;
  var typingTimer = null;
  var stats = { requests: 0, retries: 0, sendRetries: 0, sent: 0 };
  window.hachatWidget = { config: config, stats: stats, chat: function () { return chat; } };

  // ---- HTTP -----------------------------------------------------------------------------------

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); })
      .join('');
  }

  /** POSTs form fields; resolves to a GMS response, statusCode 1 for network trouble. */
  function post(path, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) {
      if (fields[k] !== undefined && fields[k] !== null) { body.append(k, fields[k]); }
    });
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, config.requestTimeout);
    stats.requests++;
    return fetch(config.base + path, { method: 'POST', body: body, signal: abort.signal })
      .then(function (res) { return res.json(); })
      .then(function (json) {
        if (typeof json.statusCode !== 'number') { throw new Error('not a GMS response'); }
        if (chat && json.alias) { chat.alias = json.alias; }
        return json;
      })
      .catch(function (e) {
        return { statusCode: 1, errors: [{ advice: 'network error (' + e.message + ')' }] };
      })
      .finally(function () { clearTimeout(timer); });
  }

  function op(name, extra) {
    var fields = { userId: chat.userId, secureKey: chat.secureKey, alias: chat.alias };
    Object.assign(fields, extra || {});
    return post('/' + encodeURIComponent(config.service) + '/' + encodeURIComponent(chat.id) +
      '/' + name, fields);
  }

  function advice(r) {
    var e = r.errors && r.errors[0];
    return e ? (e.advice || e.name || 'error ' + e.code) : 'unknown error';
  }

  function errorName(r) {
    return (r.errors && r.errors[0] && r.errors[0].name) || '';
  }

  function jitter() {
    return config.retryMin + Math.random() * Math.max(0, config.retryMax - config.retryMin);
  }

  function sleep(ms) { return new Promise(function (ok) { setTimeout(ok, ms); }); }

  // ---- the request loop -----------------------------------------------------------------------

  /** Runs queued sends, a pending disconnect, then one refresh; one request at a time. */
  async function pump() {
    if (busy || !chat || chat.ended) { return; }
    busy = true;
    clearTimeout(pollTimer);
    try {
      for (;;) {
        var r;
        var sending = outbox.length > 0;
        if (sending) {
          var m = outbox[0];
          r = await op('send', { message: m.text, messageId: m.messageId });
          if (r.statusCode === 0) {
            outbox.shift();
            stats.sent++;
            acknowledged(m, r.messages && r.messages[0]);
            continue;
          }
        } else if (chat.leaving) {
          r = await op('disconnect');
          if (r.statusCode === 0) {
            ended('You ended the chat.');
            return;
          }
        } else {
          r = await op('refresh', { transcriptPosition: chat.next });
          if (r.statusCode === 0) {
            connected();
            render(r.messages || []);
            if (typeof r.nextPosition === 'number') { chat.next = r.nextPosition; }
            if (r.more) { continue; } // one page of a long transcript: read the next one now
            if (r.chatEnded) { ended('The chat has ended.'); }
            return;
          }
        }
        if (r.statusCode === 1) { // retryable: the same request again, after a random pause
          stats.retries++;
          if (sending) { stats.sendRetries++; }
          setStatus('retrying', 'Reconnecting… (' + advice(r) + ')');
          await sleep(jitter());
          continue;
        }
        fatal(r); // statusCode 2
        if (chat.ended) { return; }
        if (sending) { failed(outbox.shift()); } else { return; }
      }
    } finally {
      busy = false;
      if (chat && !chat.ended) {
        pollTimer = setTimeout(pump, outbox.length || chat.leaving ? 0 : config.pollInterval);
      }
    }
  }

  function fatal(r) {
    var name = errorName(r);
    setStatus('error', advice(r));
    if (name === 'CHAT_ENDED' || name === 'PARTICIPANT_LEFT' || name === 'CHAT_NOT_FOUND' ||
        name === 'FORBIDDEN' || name === 'UNAUTHORIZED') {
      ended('The chat has ended: ' + advice(r));
    }
  }

  // ---- transcript -----------------------------------------------------------------------------

  /** Adds an element in index order; elements without an index (pending) stay last. */
  function place(el, index) {
    if (index !== undefined) {
      el.dataset.index = index;
      var after = Array.prototype.find.call(ui.transcript.children, function (c) {
        return c !== el && (c.dataset.index === undefined || Number(c.dataset.index) > index);
      });
      ui.transcript.insertBefore(el, after || null);
    } else {
      ui.transcript.appendChild(el);
    }
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }

  function rendered(index) {
    return ui.transcript.querySelector('[data-index="' + index + '"]') !== null;
  }

  function bubble(kind, who, text) {
    var li = document.createElement('li');
    li.className = 'msg ' + kind;
    var w = document.createElement('span');
    w.className = 'who';
    w.textContent = who;
    var t = document.createElement('span');
    t.className = 'text';
    t.textContent = text;
    li.append(w, t);
    return li;
  }

  function notice(text, index) {
    var li = document.createElement('li');
    li.className = 'notice';
    li.textContent = text;
    place(li, index);
  }

  function render(messages) {
    messages.forEach(function (m) {
      if (rendered(m.index)) { return; } // our own message, placed when it was acknowledged
      var from = m.from || {};
      var who = from.nickname || from.type || 'system';
      var mine = from.participantId === chat.userId;
      switch (m.type) {
        case 'Message':
          hideTyping();
          place(bubble(mine ? 'client' : (from.type || 'system').toLowerCase(), who, m.text), m.index);
          break;
        case 'ParticipantJoined':
          notice(mine ? 'You joined the chat.' : who + ' joined the chat.', m.index);
          if (from.type === 'Agent') { ui.status.dataset.agent = who; connected(); }
          break;
        case 'ParticipantLeft':
          notice(who + ' left the chat.', m.index);
          break;
        case 'TypingStarted':
          if (!mine) { ui.typing.textContent = who + ' is typing…'; }
          break;
        case 'TypingStopped':
          if (!mine) { hideTyping(); }
          break;
        default: // Notice, CustomNotice and anything newer
          notice(m.text || m.type, m.index);
      }
    });
  }

  function hideTyping() { ui.typing.textContent = ''; }

  function acknowledged(m, entry) {
    m.el.classList.remove('pending');
    m.el.querySelector('.meta').textContent = 'delivered';
    if (entry && typeof entry.index === 'number') { place(m.el, entry.index); }
  }

  function failed(m) {
    m.el.classList.remove('pending');
    m.el.classList.add('failed');
    m.el.querySelector('.meta').textContent = 'not sent';
  }

  // ---- status ---------------------------------------------------------------------------------

  function setStatus(state, text) {
    ui.status.dataset.state = state;
    ui.status.textContent = text;
  }

  function connected() {
    var agent = ui.status.dataset.agent;
    setStatus('ok', (agent ? 'Chatting with ' + agent : 'Connected, waiting for an agent') +
      ' · server ' + chat.alias);
  }

  function ended(text) {
    chat.ended = true;
    clearTimeout(pollTimer);
    hideTyping();
    notice(text);
    setStatus('idle', 'Chat ended');
    ui.message.disabled = ui.send.disabled = ui.end.disabled = true;
  }

  // ---- user actions ---------------------------------------------------------------------------

  ui.startForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    ui.start.disabled = true;
    setStatus('retrying', 'Connecting…');
    post('/' + encodeURIComponent(config.service),
      { nickname: ui.nickname.value.trim(), subject: ui.subject.value.trim() })
      .then(function (r) {
        if (r.statusCode !== 0) {
          ui.start.disabled = false;
          setStatus('error', advice(r));
          return;
        }
        chat = {
          id: r.chatId, userId: r.userId, secureKey: r.secureKey, alias: r.alias,
          next: 1, ended: false, leaving: false
        };
        ui.startForm.hidden = true;
        ui.chat.hidden = false;
        render(r.messages || []);
        chat.next = r.nextPosition || 1;
        connected();
        ui.message.focus();
        pump();
      });
  });

  function sendTyped() {
    var text = ui.message.value.trim();
    if (!text || !chat || chat.ended) { return; }
    ui.message.value = '';
    stopTyping();
    var el = bubble('client pending', ui.nickname.value.trim() || 'You', text);
    var meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = 'sending…';
    el.appendChild(meta);
    var m = { messageId: newId(), text: text, el: el };
    el.dataset.messageId = m.messageId;
    place(el);
    outbox.push(m);
    pump();
  }

  ui.sendForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    sendTyped();
  });

  ui.message.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      sendTyped();
    }
  });

  // Typing notifications are best effort: never retried, never in the request loop.
  ui.message.addEventListener('input', function () {
    if (!chat || chat.ended) { return; }
    if (!typingTimer) { op('startTyping'); } else { clearTimeout(typingTimer); }
    typingTimer = setTimeout(stopTyping, 3000);
  });

  function stopTyping() {
    if (typingTimer) {
      clearTimeout(typingTimer);
      typingTimer = null;
      op('stopTyping');
    }
  }

  ui.end.addEventListener('click', function () {
    if (!chat || chat.ended) { return; }
    chat.leaving = true;
    ui.end.disabled = true;
    pump();
  });
})();
