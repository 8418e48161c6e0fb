/*
 * The desktop's incoming calls (docs/desktop.md): offers of waiting chats (Accept / Reject) and
 * invitations of other agents into their chats (Join / Decline, a conference or a consult), each
 * with a countdown from the server's timeoutMs. An answer that succeeds opens the chat through
 * page.opened(reply, info); a refused one shows the server's error on the item. Every value is
 * inserted as text.
 *
 *   var calls = HachatDesktopCalls({list, none, request, el, errorText, opened});
 *   calls.offer(event)  calls.offerGone(offerId)  calls.invite(event)  calls.inviteGone(chatId)
 *   calls.dropOffers()   (the connection was lost: the server withdrew them)
 */
(function () {
  'use strict';

  window.HachatDesktopCalls = function (page) {
    var items = new Map(); // 'offer:' + offerId or 'invite:' + chatId -> {el, timer}
    var el = page.el;

    function remove(key) {
      var o = items.get(key);
      if (!o) { return; }
      clearInterval(o.timer);
      o.el.remove();
      items.delete(key);
      page.none.hidden = items.size > 0;
    }

    /**
     * One item: what it is, a countdown, a yes and a no button, each answering with an op. An
     * invitation lapses with its countdown (the server revokes it then); an offer waits for its
     * offerRevoked.
     */
    function add(key, kind, chatId, what, timeoutMs, yes, no) {
      remove(key);
      var li = el('li', kind ? 'offer ' + kind : 'offer');
      li.dataset.chatId = chatId || '';
      var left = el('span', 'countdown');
      var ok = el('button', yes.cls, yes.label);
      var nope = el('button', no.cls + ' secondary', no.label);
      var err = el('span', 'error');
      ok.type = nope.type = 'button';
      li.append(what, left, ok, nope, err);
      page.list.appendChild(li);
      var o = { el: li, deadline: Date.now() + (timeoutMs || 0) };
      var tick = function () {
        var s = Math.max(0, Math.ceil((o.deadline - Date.now()) / 1000));
        left.textContent = s > 0 ? s + ' s left' : 'expired';
        if (s === 0 && kind === 'invite') { remove(key); }
      };
      tick();
      o.timer = setInterval(tick, 250);
      items.set(key, o);
      page.none.hidden = true;
      var answer = function (op, fields, then) {
        ok.disabled = nope.disabled = true;
        err.textContent = '';
        page.request(op, fields).then(function (r) { remove(key); if (then) { then(r); } },
          function (e) { err.textContent = page.errorText(e); ok.disabled = nope.disabled = false; });
      };
      ok.addEventListener('click', function () { answer(yes.op, yes.fields, yes.then); });
      nope.addEventListener('click', function () { answer(no.op, no.fields); });
      return li;
    }

    function offer(f) {
      var chat = f.chat || {};
      var what = el('span', 'what');
      what.append(el('strong', '', chat.customer || 'a customer'),
        document.createTextNode(' in ' + (chat.queue || '?') +
          (chat.subject ? ': ' + chat.subject : '')));
      var li = add('offer:' + f.offerId, '', chat.chatId, what, f.timeoutMs,
        { cls: 'accept', label: 'Accept', op: 'accept', fields: { offerId: f.offerId },
          then: function (r) {
            page.opened(r, { customer: chat.customer, queue: r.queue || chat.queue,
              subject: chat.subject });
          } },
        { cls: 'reject', label: 'Reject', op: 'reject', fields: { offerId: f.offerId } });
      li.dataset.offerId = f.offerId;
    }

    function invite(f) {
      var consult = f.mode === 'consult';
      var what = el('span', 'what');
      what.append(el('strong', '', f.from || 'an agent'),
        document.createTextNode(consult
          ? ' asks you to consult (agents only: the customer does not see you)'
          : ' invites you to a conference with the customer'));
      var li = add('invite:' + f.chatId, 'invite', f.chatId, what, f.timeoutMs,
        { cls: 'join', label: 'Join', op: 'join', fields: { chatId: f.chatId },
          then: function (r) { page.opened(r, {}); } },
        { cls: 'decline', label: 'Decline', op: 'decline', fields: { chatId: f.chatId } });
      li.dataset.mode = f.mode || 'conference';
    }

    return {
      offer: offer,
      offerGone: function (offerId) { remove('offer:' + offerId); },
      invite: invite,
      inviteGone: function (chatId) { remove('invite:' + chatId); },
      dropOffers: function () {
        Array.from(items.keys()).filter(function (k) { return k.indexOf('offer:') === 0; })
          .forEach(remove);
      }
    };
  };
}());
