/*
 * The desktop's outgoing lines (docs/desktop.md): a chat's messages go out in order, each with its
 * own clientMessageId until the server acknowledged it, so a resend after a failure a retry can
 * mend (INSTANCE_UNAVAILABLE, a lost socket…) is never a duplicate; after an error no resend mends,
 * or after SEND_RETRY_MS, the message is shown as not sent. Typing notifications are best effort.
 * A chat (desktop.js) holds {id, ended, mode, outbox: [{clientMessageId, text, el, meta, at}],
 * sending, typingTimer}.
 *
 *   var out = HachatDesktopOutbox({link, stats, errorText, acked(chat, entry)});
 *   out.pump(chat)  out.delivered(chat, m)  out.failed(m, why)  out.startTyping(chat)
 *   out.stopTyping(chat)
 */
(function () {
  'use strict';

  var TYPING_IDLE_MS = 3000;
  var SEND_RETRY_MS = 120000; // a message is resent (same id) this long, then shown as not sent
  // errors a resend cannot mend; any other (INSTANCE_UNAVAILABLE, a lost socket…) is retried
  var FINAL = ['BAD_REQUEST', 'MESSAGE_TOO_LARGE', 'UNAUTHORIZED', 'FORBIDDEN', 'CHAT_ENDED',
    'CHAT_NOT_FOUND', 'PARTICIPANT_LEFT', 'TRANSCRIPT_FULL'];

  function sleep(ms) { return new Promise(function (ok) { setTimeout(ok, ms); }); }

  window.HachatDesktopOutbox = function (hooks) {
    /** Sends the chat's messages in order, each with its own id until it is acknowledged. */
    async function pump(c) {
      if (c.sending) { return; }
      c.sending = true;
      try {
        while (c.outbox.length && !c.ended) {
          var m = c.outbox[0];
          try {
            var r = await hooks.link.request('send',
              { chatId: c.id, clientMessageId: m.clientMessageId, text: m.text });
            hooks.stats.sent++;
            if (r.entry) { hooks.acked(c, r.entry); }
            if (c.outbox[0] === m) { delivered(c, m); }
          } catch (e) {
            if (FINAL.indexOf(e.code) >= 0 || Date.now() - m.at > SEND_RETRY_MS) {
              c.outbox.shift();
              failed(m, hooks.errorText(e));
              continue;
            }
            m.meta.textContent = 'retrying…';
            hooks.stats.resends++;
            if (!hooks.link.online()) { return; } // pumped again after the reconnect
            await sleep(hooks.link.jitter());
          }
        }
      } finally {
        c.sending = false;
      }
    }

    function delivered(c, m) {
      var i = c.outbox.indexOf(m);
      if (i >= 0) { c.outbox.splice(i, 1); }
      m.el.classList.remove('pending');
      m.meta.textContent = 'delivered';
    }

    function failed(m, why) {
      m.el.classList.remove('pending');
      m.el.classList.add('failed');
      m.meta.textContent = 'not sent: ' + why;
    }

    // Typing notifications are best effort: never retried. None from a consultant: the customer
    // would see it typing (the server does not hide a consultant's typing entries).
    function startTyping(c) {
      if (c.ended || c.mode === 'consult' || !hooks.link.online()) { return; }
      if (!c.typingTimer) {
        hooks.link.request('typing', { chatId: c.id, typing: true }).catch(function () {});
      } else {
        clearTimeout(c.typingTimer);
      }
      c.typingTimer = setTimeout(function () { stopTyping(c); }, TYPING_IDLE_MS);
    }

    function stopTyping(c) {
      if (c.typingTimer) {
        clearTimeout(c.typingTimer);
        c.typingTimer = null;
        hooks.link.request('typing', { chatId: c.id, typing: false }).catch(function () {});
      }
    }

    return { pump: pump, delivered: delivered, failed: failed, startTyping: startTyping,
      stopTyping: stopTyping };
  };
}());
