/* carebase contact form (the contact/ page). Without JavaScript the form posts to the
 * service's /contact, which answers with the ticket reference. With it:
 * - the message is kept as a draft in this tab (sessionStorage), so a customer who opens a
 *   suggestion and comes back finds it again;
 * - as the customer writes, the three best-matching items (a video once, whatever its
 *   chapters) for the message are shown ("these
 *   may answer your question": last-chance deflection); opening one is logged (a click event
 *   with source "contact-form") and sent with the message;
 * - the journey's last searches are listed, masked as the ticket stores them, each a ticked
 *   checkbox the customer can untick (as the form without JavaScript lists them); the unticked
 *   ones are kept in the draft, so they stay unticked after a suggestion's detour;
 * - the message goes to {service}/api/v1/contact as JSON (text/plain: no CORS preflight) with
 *   the searches left ticked and the page (and item) the customer came from — none of it
 *   under Do-Not-Track — and the ticket reference replaces the form;
 * - a field the service refuses is named next to the field and focused. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-cb-contact-form]");
  if (!form || !window.fetch) return;
  var service = form.getAttribute("data-cb-service") || "";
  var DRAFT = "carebase.contactDraft", WAIT = 700, MIN = 12, SHOWN = 3;
  var status = form.querySelector(".cb-contact-form__status");
  var deflect = form.querySelector(".cb-deflect"), list = form.querySelector(".cb-deflect__list");
  var message = form.elements.message, sending = false, timer = null, asked = "";
  var draft = read() || {};
  var cb = function () { return window.carebase || { privacy: true, context: function () { return {}; } }; };
  form.noValidate = true; /* the script checks and names the field itself */
  /* the page language's texts (carebase.strings, in the config); English when it has none */
  var own = {};
  try { own = JSON.parse(document.getElementById("carebase-config").textContent).strings || {}; } catch (e) { own = {}; }
  function T(key, english, values) {
    return String(own[key] != null ? own[key] : english).replace(/\{(\w+)\}/g, function (m, k) {
      return values && k in values ? String(values[k]) : m;
    });
  }

  function read() { try { return JSON.parse(sessionStorage.getItem(DRAFT)); } catch (e) { return null; } }
  function save() {
    arrivedFrom();
    draft.name = form.elements.name.value; draft.email = form.elements.email.value; draft.message = message.value;
    try { sessionStorage.setItem(DRAFT, JSON.stringify(draft)); } catch (e) { /* private mode */ }
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  ["name", "email", "message"].forEach(function (f) { if (draft[f] && !form.elements[f].value) form.elements[f].value = draft[f]; });

  /* ---- where the customer came from ------------------------------------------------------ */
  /* The page before the form, fixed on arrival: a customer who opens one of the suggestions
   * and comes back still came from the page they were on (not from the suggestion). */
  function lastPage() {
    var ctx = cb().privacy ? {} : (cb().context() || {}), pages = ctx.pages || [];
    return pages.length ? pages[pages.length - 1] : null;
  }
  var settled = false; /* decided once per page load, when the site's event script has run */
  function arrivedFrom() {
    /* not before events.js has run (window.carebase): a message the browser restored on Back is
     * suggested for at once (setTimeout 0), which can run before the next deferred script, and
     * deciding then read "no journey" and lost the page's item */
    if (!settled && window.carebase) {
      settled = true;
      var last = lastPage();
      if (!(draft.from && draft.openedPath && last && last.path === draft.openedPath)) draft.from = last;
    }
    return draft.from;
  }
  /* the page the Contact link named (?from=/billing/refunds/: a path of this site; the service
   * checks it again), when the journey does not say (Do-Not-Track: no journey is kept) */
  function named() {
    var m = /[?&]from=([^&#]*)/.exec(location.search), path = null;
    try { path = m ? decodeURIComponent(m[1].replace(/\+/g, " ")) : null; } catch (e) { path = null; }
    return path && /^\/(?![\/\\])[^\\\s]*$/.test(path) ? path : null;
  }
  function origin() {
    var ctx = cb().privacy ? {} : (cb().context() || {}), from = arrivedFrom();
    return { page: from ? from.path : (named() || location.pathname), item: from && from.item,
             journey: ctx.journey || null };
  }

  /* ---- the searches sent with the message ------------------------------------------------- */
  /* Listed as the form without JavaScript lists them (carebase.service.contact_page): the
   * journey's last 5 distinct searches, oldest first, each a ticked checkbox the customer can
   * untick, masked as the ticket stores them (the service says how: POST
   * /api/v1/contact/searches; shown as typed until it answers, or when it cannot); only the
   * ticked ones are sent. None under Do-Not-Track / GPC, and the form says so. After the site's
   * event script has run (it keeps the journey: window.carebase), at DOMContentLoaded. */
  var searchList = null, unticked = {};
  (draft.unticked || []).forEach(function (k) { unticked[String(k)] = true; });
  function journeySearches() {
    var seen = {}, found = [], all = (cb().context() || {}).searches || [];
    for (var i = all.length - 1; i >= 0 && found.length < 5; i--) {
      var q = String(all[i] || "").replace(/\s+/g, " ").trim(), key = q.toLowerCase();
      if (q && !seen[key]) { seen[key] = true; found.unshift(q); }
    }
    return found;
  }
  function listSearches() {
    var place = form.querySelector("[data-cb-contact-context]");
    if (!place || !window.carebase || place.querySelector(".cb-contact-searches")) return;
    if (cb().privacy) {
      place.appendChild(el("p", { class: "cb-contact-searches cb-contact-searches--off" },
        T("contact.searches.off", "Your browser asks sites not to track it: no searches are sent with your message.")));
      return;
    }
    var found = journeySearches();
    if (!found.length) return;
    var set = el("fieldset", { class: "cb-contact-searches", "aria-describedby": "cb-contact-searches-hint" });
    set.appendChild(el("legend", { class: "cb-field__label" }, T("contact.searches", "Your recent searches, sent with your message")));
    searchList = el("ul", { class: "cb-contact-searches__list" });
    var shown = found.map(function (q) {
      var li = el("li"), label = el("label", { class: "cb-contact-searches__choice" });
      var box = el("input", { type: "checkbox", name: "searches", value: q }), text = el("bdi", {}, q);
      var key = q.toLowerCase(); /* the search as typed: the masked text may change when the service answers */
      box.checked = !unticked[key];
      box.addEventListener("change", function () {
        if (box.checked) delete unticked[key]; else unticked[key] = true;
        draft.unticked = Object.keys(unticked);
        save();
      });
      label.appendChild(box); label.appendChild(document.createTextNode(" ")); label.appendChild(text);
      li.appendChild(label); searchList.appendChild(li);
      return { box: box, text: text };
    });
    set.appendChild(searchList);
    set.appendChild(el("p", { class: "cb-field__hint", id: "cb-contact-searches-hint" },
      T("contact.searches.hint", "Untick any search you would rather not send.")));
    place.appendChild(set);
    fetch(service + "/api/v1/contact/searches", { method: "POST", mode: "cors", credentials: "omit",
      headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: JSON.stringify({ searches: found }) })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var masked = data && data.searches;
        if (!masked || masked.length !== shown.length) return;
        shown.forEach(function (s, i) { s.box.value = String(masked[i]); s.text.textContent = String(masked[i]); });
      }, function () { /* the service masks them when it stores them */ });
  }
  function tickedSearches() {
    if (!searchList) return [];
    return Array.prototype.filter.call(searchList.querySelectorAll("input[type=checkbox]"), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
  }
  if (window.carebase) listSearches(); else document.addEventListener("DOMContentLoaded", listSearches);

  /* ---- last-chance deflection ------------------------------------------------------------ */
  function suggest() {
    var q = message.value.replace(/\s+/g, " ").trim().slice(0, 200);
    if (q.length < MIN || q === asked || !window.carebaseSearch || !window.carebaseSearch.query) return;
    asked = q;
    window.carebaseSearch.query(q, SHOWN * 3).then(function (res) {
      if (!res || asked !== q) return;
      /* three items, not three results: a video and its chapters are one item (its first,
       * best-ranked result is shown) */
      var seen = {};
      var hits = (res.hits || []).filter(function (h) {
        if (h.strong === false || seen[h.id]) return false;
        seen[h.id] = true;
        return true;
      }).slice(0, SHOWN);
      list.textContent = "";
      draft.suggested = hits.map(function (h) { return h.id; });
      hits.forEach(function (hit, i) {
        var li = el("li", { class: "cb-deflect__item" });
        var a = el("a", { href: hit.href, "data-cb-suggestion": hit.id, "data-cb-rank": String(i + 1) }, hit.title);
        li.appendChild(a);
        if (hit.text) li.appendChild(el("span", { class: "cb-deflect__text" }, hit.text));
        list.appendChild(li);
      });
      deflect.hidden = !hits.length;
      save();
    }, function () { /* no suggestion: the form still sends */ });
  }
  list.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-cb-suggestion]");
    if (!a) return;
    draft.opened = a.getAttribute("data-cb-suggestion");
    draft.openedPath = new URL(a.href, location.href).pathname;
    save();
    var c = cb();
    if (c.send && !c.privacy) c.send({ type: "click", item: draft.opened, rank: parseInt(a.getAttribute("data-cb-rank"), 10), source: "contact-form" });
  });
  message.addEventListener("input", function () { save(); clearTimeout(timer); timer = setTimeout(suggest, WAIT); });
  form.elements.name.addEventListener("input", save);
  form.elements.email.addEventListener("input", save);
  if (message.value) setTimeout(suggest, 0);

  /* ---- sending ------------------------------------------------------------------------ */
  function fieldError(name, text) {
    var box = document.getElementById("cb-contact-" + name + "-error");
    var input = form.elements[name];
    if (!box || !input) return false;
    box.textContent = text;
    box.hidden = !text;
    if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    return true;
  }
  function check() {
    var first = null;
    [["name", T("contact.missing.name", "Please tell us your name.")],
     ["email", T("contact.missing.email", "Please give an email address we can answer, such as name@example.com.")],
     ["message", T("contact.missing.message", "Please write your message.")]].forEach(function (f) {
      var input = form.elements[f[0]], bad = !input.value.trim() || (f[0] === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]{2,}$/.test(input.value.trim()));
      fieldError(f[0], bad ? f[1] : "");
      if (bad && !first) first = input;
    });
    if (first) first.focus();
    return !first;
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (sending || !check()) return;
    var from = origin(), c = cb();
    var body = { id: (c.randomId ? c.randomId() : String(Date.now()) + "contact"), name: form.elements.name.value.trim(),
                 email: form.elements.email.value.trim(), message: message.value.trim(), page: from.page,
                 suggested: draft.suggested || [], opened: draft.opened || null };
    if (from.item) body.item = from.item;
    var lang = document.documentElement.getAttribute("lang"); /* the page's language, as events carry it */
    if (lang && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(lang)) body.lang = lang;
    if (!c.privacy) { body.searches = tickedSearches(); body.journey = from.journey; } /* only those left ticked */
    sending = true;
    status.textContent = T("contact.sending", "Sending your message…");
    fetch(service + "/api/v1/contact", { method: "POST", mode: "cors", credentials: "omit",
      headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (r) {
        sending = false;
        if (!r.ok) {
          var named = r.data && r.data.field && fieldError(r.data.field, r.data.error);
          status.textContent = named ? T("contact.correct", "Please correct the field shown above.")
            : T("contact.not_sent", "Your message was not sent: {reason}",
                { reason: (r.data && r.data.error) || T("contact.try_again", "please try again.") });
          if (named) form.elements[r.data.field].focus();
          return;
        }
        try { sessionStorage.removeItem(DRAFT); } catch (err) { /* private mode */ }
        var done = el("div", { class: "cb-contact-done", tabindex: "-1" });
        done.appendChild(el("h2", {}, T("contact.sent", "Message sent")));
        var text = T("contact.reference", "Thank you. Your ticket reference is {reference}. Quote it if you write to us " +
                     "again; we answer by email."), at = text.indexOf("{reference}");
        var p = el("p", {}, at < 0 ? text + " " : text.slice(0, at));
        p.appendChild(el("strong", { class: "cb-ticket" }, r.data.ticket));
        if (at >= 0) p.appendChild(document.createTextNode(text.slice(at + 11)));
        done.appendChild(p);
        form.replaceWith(done);
        done.focus();
      }, function () {
        sending = false;
        status.textContent = T("contact.unreachable", "We could not reach our support service right now. Your message " +
                               "is kept on this page: try again in a moment.");
      });
  });
})();
