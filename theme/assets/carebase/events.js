/* carebase events: a durable outbox of vote/search/click/contact events sent to the
 * carebase service (POST {service}/api/v1/events, text/plain JSON, batches of <= 100).
 * Events wait in localStorage until the service confirms them, so a visitor who is
 * offline loses nothing; every event carries a random client id, so a retry (or a
 * beacon sent while the page closes) is stored once. Do-Not-Track / Global Privacy
 * Control: no search, click, contact or view events, and votes carry no identifier.
 * A page view (article, video) is sent once, outside the outbox: the service counts it.
 * No cookies, no framework. Exposes window.carebase for feedback.js. */
(function () {
  "use strict";
  if (window.carebase) return;
  var OUTBOX = "carebase.outbox", JOURNEY = "carebase.journey", LAST = "carebase.lastSearch";
  var MAX_BATCH = 100, MAX_BYTES = 60000, MAX_KEPT = 500, TYPING_MS = 1000;
  var cfg = {};
  try { cfg = JSON.parse(document.getElementById("carebase-config").textContent) || {}; } catch (e) { cfg = {}; }
  var service = String(cfg.service || "").replace(/\/+$/, "");
  var endpoint = service + "/api/v1/events";
  var privacy = navigator.doNotTrack === "1" || window.doNotTrack === "1" ||
    navigator.msDoNotTrack === "1" || navigator.globalPrivacyControl === true;

  function store(kind) { try { var s = window[kind]; s.setItem("carebase.t", "1"); s.removeItem("carebase.t"); return s; } catch (e) { return null; } }
  var local = store("localStorage"), session = store("sessionStorage"), memory = [];
  function read(s, key, fallback) { try { var v = s && s.getItem(key); return v ? JSON.parse(v) : fallback; } catch (e) { return fallback; } }
  function write(s, key, value) { try { if (s) s.setItem(key, JSON.stringify(value)); } catch (e) { /* full: keep going */ } }

  function randomId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += ("0" + bytes[i].toString(16)).slice(-2);
    return s;
  }
  function journey() {
    if (privacy) return null;
    var id = read(session, JOURNEY, null);
    if (!id) { id = randomId(); write(session, JOURNEY, id); }
    return id;
  }
  function outbox() { return local ? read(local, OUTBOX, []) : memory; }
  function saveOutbox(list) { if (local) write(local, OUTBOX, list); else memory = list; }
  function remove(ids) {
    saveOutbox(outbox().filter(function (e) { return ids.indexOf(e.id) < 0; }));
  }

  /* ---- delivery ---- */
  var chain = Promise.resolve(), timer = null, backoff = 0, rejected = {};
  function bytes(text) { return window.TextEncoder ? new TextEncoder().encode(text).length : unescape(encodeURIComponent(text)).length; }
  function batch(list) {
    var out = [], size = 12;
    for (var i = 0; i < list.length && out.length < MAX_BATCH; i++) {
      var n = bytes(JSON.stringify(list[i])) + 1;
      if (out.length && size + n > MAX_BYTES) break;
      out.push(list[i]); size += n;
    }
    return out;
  }
  function body(events) { return JSON.stringify({ events: events }); }
  function later(ms) { clearTimeout(timer); timer = setTimeout(flush, ms); }

  /* Is the service reachable? Asked from a tiny worker: Chromium reports every failed
   * request of the page as a console error, not a worker's, so a service that is down (or
   * not deployed) costs the page no error on each retry. Once it answered, events go
   * straight from the page (keepalive: a click that navigates away is still delivered) and
   * the answer is trusted for UP_MS in this tab. It asks the events URL itself (GET: 405),
   * so a proxy that passes only the API is enough, and any HTTP answer counts (no-cors). */
  var UP = "carebase.serviceUp", UP_MS = 300000;
  var PROBE = "onmessage=function(e){fetch(e.data,{credentials:'omit',mode:'no-cors',cache:'no-store'})" +
    ".then(function(){postMessage(true)},function(){postMessage(false)})}";
  function serviceUp() {
    var seen = read(session, UP, 0);
    if (seen && Date.now() - seen < UP_MS) return Promise.resolve(true);
    var worker = null;
    try {
      var src = URL.createObjectURL(new Blob([PROBE], { type: "text/javascript" }));
      worker = new Worker(src);
      URL.revokeObjectURL(src);
    } catch (e) { worker = null; }
    if (!worker) return Promise.resolve(true); /* cannot ask quietly: ask by sending */
    return new Promise(function (resolve) {
      var timer = setTimeout(function () { done(false); }, 10000);
      function done(up) {
        clearTimeout(timer);
        worker.terminate();
        if (up) write(session, UP, Date.now());
        resolve(up);
      }
      worker.onmessage = function (e) { done(e.data === true); };
      worker.onerror = function (e) { if (e.preventDefault) e.preventDefault(); clearTimeout(timer); worker.terminate(); resolve(true); };
      worker.postMessage(endpoint);
    });
  }

  function sendOnce() {
    if (navigator.onLine === false) return Promise.resolve({ status: "offline" });
    if (!outbox().length) return Promise.resolve({ status: "empty" });
    return serviceUp().then(function (up) {
      if (up) return post();
      later(retryDelay());
      return { status: "offline" };
    });
  }
  function post() {
    var events = batch(outbox());
    if (!events.length) return Promise.resolve({ status: "empty" });
    var ids = events.map(function (e) { return e.id; });
    return fetch(endpoint, {
      method: "POST", body: body(events), keepalive: true, mode: "cors", credentials: "omit",
      headers: { "Content-Type": "text/plain;charset=UTF-8" }
    }).then(function (res) {
      if (res.ok) { remove(ids); backoff = 0; return sendOnce(); }
      if (res.status === 429 || res.status >= 500) {
        var wait = parseInt(res.headers.get("Retry-After"), 10);
        later(wait > 0 ? wait * 1000 : retryDelay());
        return { status: "retry" };
      }
      /* 4xx: the batch was refused whole. When the service names the bad event
       * ("field": "events[3].value"), drop only that one and send the others again. */
      return res.text().then(function (text) {
        if (window.console) console.warn("carebase: the service refused events:", res.status, text);
        var field = "";
        try { field = JSON.parse(text).field || ""; } catch (e) { field = ""; }
        var bad = /^events\[(\d+)\]/.exec(field);
        var drop = bad && ids[+bad[1]] && ids.length > 1 ? [ids[+bad[1]]] : ids;
        remove(drop);
        drop.forEach(function (id) { rejected[id] = true; });
        return drop.length < ids.length ? sendOnce() : { status: "rejected" };
      });
    }, function () { write(session, UP, 0); later(retryDelay()); return { status: "offline" }; });
  }
  function retryDelay() { backoff = Math.min(backoff ? backoff * 2 : 5000, 300000); return backoff; }
  function flush() { chain = chain.then(sendOnce, sendOnce); return chain; }

  function beacon() {
    /* the page is going away: hand what is left to the browser; it stays in the outbox
     * until a later page load confirms it (the service stores each id once). */
    var list = outbox();
    if (!list.length || navigator.onLine === false) return;
    var data = body(batch(list)), sent = false;
    try { sent = navigator.sendBeacon && navigator.sendBeacon(endpoint, data); } catch (e) { sent = false; }
    if (!sent) {
      try { fetch(endpoint, { method: "POST", body: data, keepalive: true, mode: "cors", credentials: "omit", headers: { "Content-Type": "text/plain;charset=UTF-8" } }).catch(function () {}); } catch (e) { /* nothing more to try */ }
    }
  }

  function enqueue(event) {
    event.id = randomId();
    event.ts = Date.now();
    event.page = location.pathname;
    var lang = document.documentElement.getAttribute("lang");
    if (lang && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(lang)) event.lang = lang;
    var j = journey();
    if (j) event.journey = j;
    var list = outbox();
    list.push(event);
    if (list.length > MAX_KEPT) list = list.slice(list.length - MAX_KEPT);
    saveOutbox(list);
    return event;
  }
  /* send(event) -> Promise of "sent" | "queued" (offline, retried later) | "rejected" */
  function send(event) {
    if (privacy && event.type !== "vote") return Promise.resolve("skipped");
    if (event.type === "search" && event.query) remember(SEARCHES, event.query);
    if (privacy) { delete event.vote_key; }
    var e = enqueue(event);
    clearTimeout(timer);
    return flush().then(function () {
      var waiting = outbox().some(function (x) { return x.id === e.id; });
      return waiting ? "queued" : "sent";
    }, function () { return "queued"; }).then(function (state) {
      return state === "sent" && rejected[e.id] ? "rejected" : state;
    });
  }

  window.addEventListener("online", function () { backoff = 0; flush(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") beacon(); });
  window.addEventListener("pagehide", beacon);

  /* ---- search, click, contact ---- */
  var base = new URL(cfg.base || ".", location.href);
  var manifest = null, manifestLoading = null;
  /* The manifest (item URL -> id) names the item of a clicked result that does not carry
   * data-carebase-item: Material's search (a site that opts in), a site's own result lists.
   * carebase's own boxes (form.cb-search, search.js) name every result: no manifest for them
   * (at 10,000 items it is 2.2 MB, fetched and parsed while the customer types). */
  function ownBox(input) { return !!(input && input.closest && input.closest("form.cb-search")); }
  function loadManifest() {
    if (manifest || manifestLoading || privacy) return manifestLoading;
    var url = new URL(cfg.manifest || "manifest.json", base.href + (/\/$/.test(base.href) ? "" : "/"));
    manifestLoading = fetch(url.href, { credentials: "omit" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (m) {
        manifest = {};
        var items = (m && m.items) || {};
        Object.keys(items).forEach(function (id) { manifest[items[id].url] = id; });
        return manifest;
      }, function () { manifest = {}; });
    return manifestLoading;
  }
  function itemFor(href) {
    if (!manifest) return null;
    var url;
    try { url = new URL(href, location.href); } catch (e) { return null; }
    var root = base.pathname.replace(/\/?$/, "/");
    if (url.pathname.indexOf(root) !== 0) return null;
    var path = decodeURI(url.pathname.slice(root.length)).replace(/(^|\/)index\.html$/, "$1");
    var hash = decodeURIComponent(url.hash || "");
    return manifest[path + hash] || manifest[path] || null;
  }

  /* The journey's context for the contact form (this tab only, never under DNT): the last
   * searches and the pages seen, with their item. */
  var SEARCHES = "carebase.searches", PAGES = "carebase.pages", KEEP = 5;
  function remember(key, value) {
    if (privacy || !session) return;
    var list = read(session, key, []).filter(function (v) { return JSON.stringify(v) !== JSON.stringify(value); });
    list.push(value);
    write(session, key, list.slice(-KEEP));
  }
  function pageItem() {
    var widgets = document.querySelectorAll(".cb-feedback[data-cb-item]");
    return widgets.length === 1 ? widgets[0].getAttribute("data-cb-item") : null;
  }
  function journeyContext() {
    if (privacy) return { searches: [], pages: [], journey: null };
    return { searches: read(session, SEARCHES, []), pages: read(session, PAGES, []), journey: journey() };
  }

  var pending = {}; /* per source: {input, timer, query} */
  function lastSearch() { return read(session, LAST, null); }
  function countFor(source, input, final, query) {
    if (input.matches("[data-md-component=search-query]")) { /* Material's own search (a site that opts in) */
      var meta = document.querySelector("[data-md-component=search-result] .md-search-result__meta");
      var text = meta ? meta.textContent : "";
      var digits = text.replace(/[,.\s\u00a0\u202f]/g, "").match(/\d+/);
      if (digits) return parseInt(digits[0], 10);
      var items = document.querySelectorAll("[data-md-component=search-result] .md-search-result__item");
      if (items.length) return items.length;
      return /no /i.test(text) ? 0 : null;
    }
    var list = resultsFor(source);
    if (!list || list.getAttribute("data-carebase-query") !== (query == null ? input.value.trim() : query)) return null;
    /* a count about to be replaced (search.js: the API's answer follows the index's) is not
     * the one the customer is left with: wait for it, unless the customer acted on this one */
    if (!final && list.hasAttribute("data-carebase-pending")) return null;
    var total = parseInt(list.getAttribute("data-carebase-total"), 10);
    return isNaN(total) ? null : total;
  }
  function resultsFor(source) {
    return document.querySelector('[data-carebase-results="' + source + '"]') || document.querySelector("[data-carebase-results]");
  }
  /* a query's count is read every 250 ms until its list shows it, final (search.js: the API's
   * answer, up to API_PAUSE + API_TIMEOUT = 2.75 s after the last keystroke), at most
   * MAX_TRIES times; the last try (and a click on a result) takes what is shown */
  var MAX_TRIES = 16;
  function finish(source, tries) {
    var p = pending[source];
    if (!p) return;
    clearTimeout(p.timer);
    p.retry = 0;
    /* the query as the customer typed it: the box may show another by now (search.js puts the
     * query of a history entry back on Back / Forward: that one was logged when it was typed) */
    var query = p.value.trim().slice(0, 200);
    if (!query || query === p.sent) { p.timer = null; return; }
    var count = countFor(source, p.input, (tries || 0) >= MAX_TRIES, query);
    if (count === null && (tries || 0) < MAX_TRIES) {
      p.retry = (tries || 0) + 1;
      p.timer = setTimeout(function () { finish(source, p.retry); }, 250);
      return;
    }
    p.timer = null;
    if (count === null) return; /* no result count shown for this query: no event rather than a wrong one */
    p.sent = query;
    write(session, LAST, { query: query, source: source });
    send({ type: "search", query: query, results: count, source: source });
  }
  function typed(input, source, key) {
    if (privacy) return;
    if (!ownBox(input)) loadManifest();
    var p = pending[source] || (pending[source] = { input: input, sent: null, timer: null, value: "" });
    if (key !== "Enter" && input.value === p.value && p.input === input) return; /* arrows, Tab, Shift… */
    p.input = input; p.value = input.value;
    clearTimeout(p.timer);
    if (key === "Enter") finish(source);
    else p.timer = setTimeout(function () { finish(source); }, TYPING_MS);
  }
  /* a query waiting for its count (Enter, or the typing pause, came before its results): taken as
   * soon as search.js shows its final results, not at the next 250 ms try (a customer who went
   * Back at once left it unlogged, or logged the query Back put in the box) */
  document.addEventListener("carebase:search-results", function (e) {
    var d = e.detail || {}, p = pending[d.source];
    if (p && p.retry && !d.pending && d.query === p.value.trim()) finish(d.source, p.retry);
  });
  function searchBox(target) {
    if (!target || !target.closest) return null;
    if (target.matches("[data-md-component=search-query]")) return { input: target, source: "header" };
    var box = target.closest("[data-carebase-search]");
    if (!box) return null;
    var input = box.matches("input, textarea") ? box : target.matches("input") ? target : null;
    return input ? { input: input, source: box.getAttribute("data-carebase-search") || "home" } : null;
  }
  /* Enter on keydown: Material opens the best result on keydown, so this runs first. */
  document.addEventListener("keydown", function (e) {
    var box = e.key === "Enter" && searchBox(e.target);
    if (box) typed(box.input, box.source, "Enter");
  }, true);
  document.addEventListener("keyup", function (e) {
    var box = e.key !== "Enter" && searchBox(e.target);
    if (box) typed(box.input, box.source, null);
  }, true);
  document.addEventListener("input", function (e) {
    var box = searchBox(e.target);  /* Material's box is followed on keyup */
    if (box && !box.input.matches("[data-md-component=search-query]")) typed(box.input, box.source, null);
  }, true);
  document.addEventListener("focusin", function (e) {
    var box = searchBox(e.target);
    if (box && !ownBox(box.input)) loadManifest();
  }, true);

  function resultClick(link) {
    var header = link.closest("[data-md-component=search-result]");
    var list = header ? null : link.closest("[data-carebase-results]");
    if (!header && !list) return;
    var source = header ? "header" : list.getAttribute("data-carebase-results") || "home";
    if (pending[source] && pending[source].input.value.trim()) finish(source, 99);
    /* a query the page filled in itself (search/?q=…) has no pending entry: read the box */
    var input = pending[source] ? pending[source].input : header ? document.querySelector("[data-md-component=search-query]") : null;
    var query = input && input.value.trim().slice(0, 200);
    var rank, item = link.getAttribute("data-carebase-item") || itemFor(link.href);
    if (header) {
      var li = link.closest(".md-search-result__item");
      rank = Array.prototype.indexOf.call(header.querySelectorAll(".md-search-result__item"), li) + 1;
      /* a page-level link (an FAQ group) counts for the best section of it that is an item */
      for (var i = 0, links = li ? li.querySelectorAll("a[href]") : []; !item && i < links.length; i++) item = itemFor(links[i].href);
    } else {
      rank = parseInt(link.getAttribute("data-carebase-rank"), 10) ||
        Array.prototype.indexOf.call(list.querySelectorAll("a"), link) + 1;
    }
    if (!item || !query || rank < 1) return;
    send({ type: "click", query: query, item: item, rank: rank });
  }
  function contactClick(link) {
    var channel = link.getAttribute("data-cb-contact") || link.getAttribute("data-carebase-contact") ||
      link.getAttribute("data-channel");
    if (["email", "phone", "chat", "form"].indexOf(channel) < 0) return;
    var holder = link.closest("[data-cb-item], [data-carebase-item]");
    var widgets = document.querySelectorAll(".cb-feedback[data-cb-item]");
    if (!holder && widgets.length === 1) holder = widgets[0]; /* the page's own item (article, video) */
    var item = holder && (holder.getAttribute("data-cb-item") || holder.getAttribute("data-carebase-item"));
    var event = { type: "contact", channel: channel };
    if (item) event.item = item;
    else { var last = lastSearch(); if (last && last.query) event.query = last.query; else return; }
    send(event);
  }
  /* a Contact link of a build before session 37 goes to the service's copy of the contact form
   * (carebase.service.contact_page); with this script, to the site's own form (data-cb-href).
   * The build now links the site's own form directly (carebase.pages.blocks.contact_form_link).
   * Set now and again at the click (a link a later script added). */
  function siteLink(link) { var own = link.getAttribute("data-cb-href"); if (own) link.setAttribute("href", own); }
  Array.prototype.forEach.call(document.querySelectorAll("a[data-cb-href]"), siteLink);
  document.addEventListener("click", function (e) {
    var own = e.target.closest && e.target.closest("a[data-cb-href]");
    if (own) siteLink(own);
    if (privacy || !e.target.closest) return;
    var link = e.target.closest("a[href]");
    if (!link) return;
    if (link.matches("[data-cb-contact], [data-carebase-contact], .cb-contact a[data-channel]")) contactClick(link);
    else resultClick(link);
  }, true);

  /* a search page opened with a query (search/?q=…) reports it once its results show — unless
   * carebase's search page handles that query (window.__carebaseQuery, set in <head>): search.js
   * reports it then (reportLanding), and its box may already hold the question here (the early
   * answer card fills it before the deferred scripts run), which reported it twice */
  function searchPageQuery() {
    if (privacy || window.__carebaseQuery) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-carebase-search]"), function (el) {
      var box = searchBox(el.matches("input") ? el : el.querySelector("input"));
      if (box && box.input.value.trim() && resultsFor(box.source)) typed(box.input, box.source, "Enter");
    });
  }

  /* a page view of an article or video (the page's one feedback widget names its item): sent
   * once, not through the outbox (a lost view is no loss; a view sent twice would count
   * twice), with nothing but the item — the service keeps a count per item and day. Never
   * under Do-Not-Track / GPC. */
  function pageView() {
    if (privacy || !service) return;
    var widgets = document.querySelectorAll(".cb-feedback[data-cb-item]");
    if (widgets.length !== 1) return;
    var data = body([{ id: randomId(), type: "view", item: widgets[0].getAttribute("data-cb-item") }]);
    serviceUp().then(function (up) {
      if (!up || navigator.onLine === false) return;
      try { if (navigator.sendBeacon && navigator.sendBeacon(endpoint, data)) return; } catch (e) { /* fetch below */ }
      fetch(endpoint, { method: "POST", body: data, keepalive: true, mode: "cors", credentials: "omit",
        headers: { "Content-Type": "text/plain;charset=UTF-8" } }).catch(function () {});
    });
  }

  window.carebase = { send: send, flush: flush, privacy: privacy, randomId: randomId, config: cfg,
                      context: journeyContext };
  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("a[data-cb-href]"), siteLink);
    flush();
    pageView();
    if (!document.querySelector("[data-cb-contact-form]")) remember(PAGES, { path: location.pathname, item: pageItem() });
    searchPageQuery();
    /* results shown on arrival can be clicked (carebase's own name their items) */
    if (/[?&]q=/.test(location.search) && !ownBox(document.querySelector("[data-carebase-search] input, input[data-carebase-search]"))) loadManifest();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
