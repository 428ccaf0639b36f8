/* carebase search: one search behind every box of the help centre.
 * - The header box and the home page's box (forms with data-cb-combobox) suggest as you type:
 *   item titles, FAQ questions and video chapters, grouped by kind, in a listbox under the
 *   box (the ARIA combobox pattern: arrows move, Enter opens, Escape closes), with "did you
 *   mean"; Enter without a suggestion opens the search page.
 * - The search page lists the strong matches, filterable by kind, with the weaker ones behind
 *   "Show weaker matches".
 * Every keystroke is answered by the sharded client index (search-index.js) of the page's
 * language; the service's search API ({service}/api/v1/search?lang=<the page's language>)
 * replaces those results once typing pauses, whenever it
 * answers (probed once, 3 s timeout, from a worker, when a box is first pressed or focused;
 * on the search page opened with a question, that question's search, started in <head>, 3.5 s;
 * the outcome is kept for the tab's next pages: 10 minutes when the service answered, 1 minute
 * when it did not); when it does not, the client index answers for the rest of the page. Lists carry the widget's attributes
 * (data-carebase-results / -query / -total, data-carebase-item / -rank) so events.js logs the
 * final query, its result count and clicks, never each keystroke. No framework, no cookies. */
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form.cb-search"));
  if (!forms.length || !window.fetch || !window.URL || !window.Promise) return;
  /* Without this script a box's form goes to the service's search page (GET {service}/search:
   * results drawn by the service, REFERENCE "Search without JavaScript"); with it, to the
   * site's own search page (data-cb-action), which this script answers */
  forms.forEach(function (f) { var page = f.getAttribute("data-cb-action"); if (page) f.setAttribute("action", page); });
  var cfg = {};
  try { cfg = JSON.parse(document.getElementById("carebase-config").textContent) || {}; } catch (e) { cfg = {}; }
  var service = String(cfg.service || "").replace(/\/+$/, "");
  /* the page's language: the API searches that language's index only (and the client index
   * is that language's), so a German page never lists an English page, nor the reverse */
  var LANG_PARAM = cfg.lang ? "&lang=" + encodeURIComponent(cfg.lang) : "";
  var base = new URL(cfg.base || ".", location.href);
  if (!/\/$/.test(base.pathname)) base = new URL(base.href + "/");
  /* The client index answers at once whatever the service does, so waiting longer for the API
   * costs nothing visible: a slow answer still replaces the index's when it comes. */
  var PROBE_TIMEOUT = 3000, API_TIMEOUT = 2500, API_PAUSE = 250, SUGGESTIONS = 8, PAGE_LIMIT = 20;
  /* "Show more results": the API answers at most API_LIMIT rows a request (query.MAX_LIMIT) and
   * pages through the first MAX_DEPTH rows of a query (query.MAX_DEPTH) */
  var API_LIMIT = 50, MAX_DEPTH = 1000;
  /* a video's chapters: at most CHAPTERS of one video among the suggestions (the next hits of
   * every kind take the places left), and on the search page a video's row shows its CHAPTERS
   * best-ranked chapters, the others behind "N more chapters" (a <details>: no script needed;
   * search_page.CHAPTERS, the same for the service's page without JavaScript) */
  var CHAPTERS = 3;
  /* the search page's opening search (its probe) may take longer than a box's probe: its results
   * wait for the Ask box's answer anyway (ask.js, 4 s), and a loaded service answering in 2 s is
   * better than the index's weaker list (partials/carebase/early-search.html asks it as long) */
  var LANDING_TIMEOUT = 3500;
  /* how long a tab trusts the last probe's outcome (sessionStorage): a page opened from another
   * page of the help centre (the search page after Enter in a box) knows at once whether the
   * API answers, without a round trip to the service first */
  var REMEMBER = { api: 600000, index: 60000 }, MODE_KEY = "carebase.searchMode";
  /* carebase's texts in the page's language (carebase.strings, in the config); each call
   * names the English text, used when a page has no catalogue (a theme without the plugin) */
  var TEXT = cfg.strings || {}, LANG = cfg.lang || document.documentElement.lang || "en";
  var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(LANG) : null;
  /* numbers in the page's language; the formatter is made once, when a box is first pressed or
   * focused (making the first one costs ~20 ms: paid on the first keystroke, it was half of
   * that keystroke's time) */
  var numbers = null;
  function num(n) {
    if (!numbers) numbers = window.Intl && Intl.NumberFormat ? new Intl.NumberFormat(LANG) : { format: String };
    return numbers.format(n);
  }
  function T(key, english, values) {
    var v = TEXT[key] != null ? TEXT[key] : english, n = values && values.count;
    if (v && typeof v === "object") v = v[rules && typeof n === "number" ? rules.select(n) : "other"] || v.other;
    return String(v).replace(/\{(\w+)\}/g, function (m, k) {
      if (!values || !(k in values)) return m;
      return typeof values[k] === "number" ? num(values[k]) : String(values[k]);
    });
  }
  /* A query as the service stores it (carebase.store.cleaning.clean_text, one line: its rule,
   * kept in step with it): no escapes, controls, bidi embeddings/overrides/isolates (U+202A-E,
   * U+2066-9, U+061C) or invisible spaces, NFKC, line breaks and tabs as spaces, trimmed. A
   * right-to-left override in ?q= reversed the box and the heading: what the page shows of a
   * query goes through this (and is isolated: <bdi>, dir=auto). */
  var ANSI = /\x1b(?:\[[0-?]*[ -\/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_]?)/g;
  function cleanQuery(text) {
    text = String(text == null ? "" : text).replace(ANSI, "");
    if (text.normalize) text = text.normalize("NFKC");
    return text.replace(/\r\n|[\r\n\t\u2028\u2029\x85\x0b\x0c]/g, " ")
      .replace(/[\u200b\u2060\ufeff\u180e\u2061-\u2064\u202a-\u202e\u2066-\u2069\u061c\x00-\x08\x0e-\x1f\x7f-\x9f]/g, "").trim();
  }
  /* text with its "{query}" as an isolated <bdi> (an Arabic or Hebrew query reads right, and
   * cannot reorder the sentence around it), into node */
  function withQuery(text, q, node) {
    var at = text.indexOf("{query}");
    node.textContent = at < 0 ? text : text.slice(0, at);
    if (at < 0) return;
    node.appendChild(el("bdi", {}, q));
    node.appendChild(document.createTextNode(text.slice(at + 7)));
  }
  function around(text, node, into) { /* "Did you mean {suggestion}?" with an element for it */
    var at = text.indexOf("{suggestion}");
    into.appendChild(document.createTextNode(at < 0 ? text + " " : text.slice(0, at)));
    into.appendChild(node);
    if (at >= 0) into.appendChild(document.createTextNode(text.slice(at + 12)));
  }
  var KIND = { article: T("search.kind.article", "Article"), faq: T("search.kind.faq", "FAQ"),
               video: T("search.kind.video", "Video") };
  var GROUP = [["article", T("search.group.article", "Articles")], ["faq", T("search.group.faq", "Questions")],
               ["video", T("search.group.video", "Videos")]];
  var KINDS = ["", "article", "faq", "video"];
  var FILTERS = [["", T("search.filter.all", "All")], ["article", T("search.filter.article", "Articles")],
                 ["faq", T("search.filter.faq", "FAQ")], ["video", T("search.filter.video", "Videos")]];
  var COUNT = {
    "": [{ one: "{count} result for “{query}”", other: "{count} results for “{query}”" }, "No results for “{query}”"],
    article: [{ one: "{count} article for “{query}”", other: "{count} articles for “{query}”" }, "No articles for “{query}”"],
    faq: [{ one: "{count} question for “{query}”", other: "{count} questions for “{query}”" }, "No questions for “{query}”"],
    video: [{ one: "{count} video for “{query}”", other: "{count} videos for “{query}”" }, "No videos for “{query}”"] };
  /* no strong match, weaker ones behind "Show weaker matches": not "No results" */
  var WEAK = { "": "No close matches for “{query}”", article: "No articles closely match “{query}”",
               faq: "No questions closely match “{query}”", video: "No videos closely match “{query}”" };

  /* ---- engines ------------------------------------------------------------------------ */
  var state = { mode: null, index: null, ready: null, first: null };
  function timed(url, ms) {
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, ms);
    return fetch(url, { credentials: "omit", mode: "cors", signal: ctl && ctl.signal }).then(function (r) {
      clearTimeout(timer);
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }, function (err) { clearTimeout(timer); throw err; });
  }
  function useIndex() {
    if (!state.index) {
      state.index = window.carebaseSearchIndex.open(new URL(cfg.index || "search/carebase/", base).href);
      state.index.catch(function () { state.index = null; });
    }
    return state.index;
  }
  /* A request to the service that may fail without a trace: Chromium reports every failed
   * request of the page as a console error (Lighthouse counts them); a dedicated worker's
   * requests are not the page's. So it runs in a tiny worker made from a blob and posts back
   * the JSON (null: no answer). Used for the probe and, on the search page, the Ask box's answer
   * to the question the page opened with (asked before the probe has answered). */
  var QUIET_WORKER = "onmessage=function(e){var c=self.AbortController?new AbortController():null," +
    "t=setTimeout(function(){if(c)c.abort()},e.data.ms);fetch(e.data.url,{credentials:'omit',mode:'cors'," +
    "signal:c&&c.signal}).then(function(r){return r.ok?r.json():null}," +
    "function(){return null}).then(function(j){clearTimeout(t);postMessage(j)},function(){postMessage(null)})}";
  /* the search page's opening requests, started in <head> (partials/carebase/early-search.html):
   * each promise (JSON or null) is taken once, by the request for its very URL */
  var early = (window.__carebaseQuery && window.__carebaseQuery.early) || {};
  function takeEarly(url) {
    var key = new URL(url, location.href).href, p = early[key];
    if (!p) return null;
    delete early[key];
    return p.then(function (json) { if (json) return json; throw new Error("no answer"); });
  }
  function pendingEarly(url) { return !!early[new URL(url, location.href).href]; }
  function quietJSON(url, ms) {
    var started = takeEarly(url);
    if (started) return started;
    var worker = null;
    try {
      var src = URL.createObjectURL(new Blob([QUIET_WORKER], { type: "text/javascript" }));
      worker = new Worker(src);
      URL.revokeObjectURL(src);
    } catch (e) { worker = null; }
    if (!worker) return timed(url, ms);
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { done(null); }, ms + 200);
      function done(json) { clearTimeout(timer); worker.terminate(); if (json) resolve(json); else reject(new Error("no answer")); }
      worker.onmessage = function (e) { done(e.data && typeof e.data === "object" ? e.data : null); };
      worker.onerror = function (e) { if (e.preventDefault) e.preventDefault(); done(null); };
      worker.postMessage({ url: new URL(url, location.href).href, ms: ms });
    });
  }
  function searchApiUrl(q, kind, limit) {
    return service + "/api/v1/search?q=" + encodeURIComponent(q) + "&limit=" + limit + (kind ? "&type=" + kind : "") + LANG_PARAM;
  }
  /* Is the service up? On a search page opened with a query the probe is that query's search
   * (its answer is the page's first API answer: one round trip, not two), else a small one. */
  var landingQuery = window.__carebaseQuery && document.querySelector("[data-cb-search-results]") ? window.__carebaseQuery : null;
  /* the kind a search page shows (&kind= in its address, partials/carebase/early-search.html): one of the filters' */
  function kindOf(value) { return KINDS.indexOf(value) > 0 ? value : ""; }
  function probeService() {
    var url = landingQuery ? searchApiUrl(String(landingQuery.q).slice(0, 200), kindOf(landingQuery.kind), PAGE_LIMIT)
      : service + "/api/v1/search?q=help&limit=1" + LANG_PARAM;
    var answer = quietJSON(url, landingQuery ? LANDING_TIMEOUT : PROBE_TIMEOUT);
    if (landingQuery) state.first = { url: url, answer: answer };
    return answer;
  }
  function remembered() {
    try {
      var m = JSON.parse(sessionStorage.getItem(MODE_KEY));
      var age = m && Date.now() - m.at;
      return m && REMEMBER[m.mode] && age >= 0 && age < REMEMBER[m.mode] && m.service === service ? m.mode : null;
    } catch (e) { return null; }
  }
  function remember(mode) {
    try { sessionStorage.setItem(MODE_KEY, JSON.stringify({ mode: mode, at: Date.now(), service: service })); } catch (e) { /* private mode */ }
  }
  /* Started on the first press or focus of a box (or a landing query): the index opens at once,
   * for instant answers; the probe (or the tab's remembered outcome) decides whether the API
   * takes over once typing pauses. Resolves once that is known (in index mode: once the index
   * has opened or failed, "none" when neither answers). */
  function ready() {
    if (!state.ready) {
      var opened = function () { return useIndex().then(function () { return true; }, function () { return false; }); };
      var known = service && cfg.api !== false ? remembered() : "index";
      var probe = known ? (known === "api" ? Promise.resolve() : Promise.reject(new Error("service down")))
        : probeService().then(function () { remember("api"); }, function (err) { remember("index"); throw err; });
      /* the index opens now, unless the probe is the opening query's search (then only if it fails) */
      var index = state.first ? null : opened();
      state.ready = probe.then(function () { state.mode = "api"; return true; },
                               function () { state.mode = "index"; return index || opened(); })
        .then(function (hasIndex) {
          if (!hasIndex && state.mode === "index") state.mode = "none";
          forms.forEach(function (f) { f.setAttribute("data-cb-search-mode", state.mode); });
        });
      setTimeout(function () { num(0); }, 0); /* the number formatter, before the first keystroke */
    }
    return state.ready;
  }
  /* only the suggestions (titles) complete the last word as it is typed: a list of results is the
   * search API's, which never completes ("c-wire" listed 38 with the service down, 24 up: "wire"
   * completed to "wired", "wireless"…; "app" 62 against 60, until session 37) */
  function indexSearch(q, kind, limit, titles, offset) {
    return useIndex().then(function (index) { return index.search(q, { kind: kind, limit: limit, titles: titles, offset: offset || 0, complete: !!titles }); })
      .then(function (res) { res.engine = "index"; return res; });
  }
  /* rows offset + 1 to offset + limit of the list res answered (the same engine: one list, its
   * rows in one order), in requests of at most API_LIMIT rows: a promise of their hits (titles:
   * the suggestions' list, whose last word the index completes) */
  function moreRows(res, q, kind, offset, limit, titles) {
    if (res.engine !== "api") return indexSearch(q, kind, limit, !!titles, offset).then(function (r) { return r.hits || []; });
    var asks = [];
    for (var at = offset; at < offset + limit; at += API_LIMIT) {
      asks.push(timed(searchApiUrl(q, kind, Math.min(API_LIMIT, offset + limit - at)) + "&offset=" + at, API_TIMEOUT)
        .then(function (r) { return r.hits || []; }));
    }
    return Promise.all(asks).then(function (parts) { return [].concat.apply([], parts); });
  }
  function apiSearch(q, kind, limit) {
    var url = searchApiUrl(q, kind, limit), first = state.first;
    if (first && first.url === url) { /* the probe asked this very search: its answer, once */
      state.first = null;
      return first.answer.then(function (res) { res.engine = "api"; return res; });
    }
    return (takeEarly(url) || timed(url, API_TIMEOUT)).then(function (res) { res.engine = "api"; return res; }, function (err) {
      if (err && err.name === "AbortError") throw err; /* slow this once: the index's answer stays */
      state.mode = "index"; /* down now: the index answers for the rest of this page */
      remember("index");
      forms.forEach(function (f) { f.setAttribute("data-cb-search-mode", "index"); });
      throw err;
    });
  }
  /* One query: the client index answers at once (unless it already lost to the API), the API
   * after API_PAUSE (0: at once) when it is up. show(res) is called with each newer answer;
   * the promise resolves with the last one (null when a newer query started). titles: the hits'
   * text is not shown (suggestions), so the index reads rows from its shards where it can.
   * res.pending: the API's answer is still to come and will replace this one (the lists carry
   * data-carebase-pending meanwhile: events.js logs a query's result count once it is final,
   * the count the customer is left with). */
  function Runner(titles) { this.seq = 0; this.timer = null; this.titles = !!titles; }
  Runner.prototype.cancel = function () { this.seq++; clearTimeout(this.timer); };
  Runner.prototype.run = function (q, kind, limit, pause, show) {
    var self = this, seq = ++this.seq, apiDone = false;
    clearTimeout(this.timer);
    function fresh() { return seq === self.seq; }
    function take(res, pending) {
      if (!res || !fresh() || (res.engine === "index" && apiDone)) return null;
      if (res.engine === "api") apiDone = true;
      res.pending = !!pending;
      show(res);
      return res;
    }
    var url = searchApiUrl(q, kind, limit), first = state.first, local = null;
    function viaIndex() { return local || (local = indexSearch(q, kind, limit, self.titles).then(null, function () { return null; })); }
    function finalIndex() { return viaIndex().then(function (r) { return r ? take(r, false) : (fresh() ? show(null) : null); }); }
    /* the index answers without waiting for the probe (a first keystroke would wait for a
     * round trip to the service); the API takes over once the probe said it is up. Not while
     * the search page's own request for this very search is under way (the probe's, or the one
     * started in <head> when the tab remembers the service as up): the index's answer would show
     * first and be replaced a moment later (13 results, then 7, for "refund"; a click in between
     * was lost). That request has its own bound (LANDING_TIMEOUT); when it fails or runs out,
     * the index answers (apiSearch's fallback below). */
    if (!((first && first.url === url) || pendingEarly(url))) {
      viaIndex().then(function (r) { if (r && state.mode !== "index" && state.mode !== "none") take(r, true); });
    }
    return ready().then(function () {
      if (state.mode !== "api") return finalIndex();
      return new Promise(function (resolve) {
        self.timer = setTimeout(function () {
          if (!fresh()) return resolve(null);
          apiSearch(q, kind, limit).then(function (res) { return take(res, false); }).then(resolve, function () {
            if (!fresh()) return resolve(null);
            finalIndex().then(resolve, function () { resolve(null); });
          });
        }, pause);
      });
    });
  };

  /* ---- markup helpers -------------------------------------------------------------------- */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  /* the API's snippet is HTML (escaped text with <mark>): keep only text and <mark> */
  function safeSnippet(html, into) {
    var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    (function walk(node, target) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === 3) target.appendChild(document.createTextNode(child.textContent));
        else if (child.nodeType === 1) walk(child, child.tagName === "MARK" ? target.appendChild(document.createElement("mark")) : target);
      });
    })(doc.body.firstChild || doc.body, into);
  }
  /* the index's text: mark words that start with a query term's stem; the word only, as the
   * API marks it: not the quote, comma or "?" around it ("Thermostat offline"?) */
  function highlight(text, terms, into) {
    var idx = window.carebaseSearchIndex;
    String(text).split(/(\s+)/).forEach(function (part) {
      var w = idx.words(part)[0];
      var hit = w && terms.some(function (t) { return t.length > 1 && idx.stem(w).indexOf(t) === 0; });
      var word = hit && /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(part);
      if (!word) { into.appendChild(document.createTextNode(part)); return; }
      if (word[1]) into.appendChild(document.createTextNode(word[1]));
      into.appendChild(el("mark", {}, word[2]));
      if (word[3]) into.appendChild(document.createTextNode(word[3]));
    });
  }
  /* a title with the query's words marked, whichever engine answered: the index names the
   * words it matched (res.terms: stems, a corrected word's fix), the API does not, so they are
   * the words of its query (or of its "did you mean") as the index would read them. The same
   * suggestions and results look the same with the service up and down. */
  function termsOf(res) {
    if (!res.terms) {
      var idx = window.carebaseSearchIndex;
      res.terms = idx ? idx.words(String(res.suggestion || res.query || "")).map(function (w) { return idx.stem(w); }) : [];
      res.termsRough = !(idx && idx.site());
    }
    return res.terms;
  }
  /* Until the index's meta.json is read the analyser has no stop words and stems every language
   * the English way, so a search page opened with a query the API answers marked "can" and
   * "Cancel" in titles for "can i pay with bitcoin", "an" and "Anzeige" for "thermostat zeigt
   * nichts an" (session 44's audit): its titles are shown unmarked and marked once the site's rules
   * are read (meta.json, ~5 KB gzipped, fetched after the results are shown). */
  function titleInto(hit, res, into) {
    var idx = window.carebaseSearchIndex;
    if (!idx) { into.textContent = hit.title; return; }
    termsOf(res);
    if (!res.termsRough) { highlight(hit.title, res.terms, into); return; }
    into.textContent = hit.title;
    useIndex().then(function () {
      if (res.termsRough && idx.site()) { res.terms = null; termsOf(res); }
    }, function () { /* no index: marked with the rough rules */ }).then(function () {
      into.textContent = "";
      highlight(hit.title, res.terms, into);
    });
  }
  /* data-carebase-pending on a result list: the API's answer will replace the one it shows */
  function pendingMark(lists, res) {
    lists.forEach(function (list) {
      if (res && res.pending) list.setAttribute("data-carebase-pending", "");
      else list.removeAttribute("data-carebase-pending");
    });
  }
  function strongOf(res) { return typeof res.strong === "number" ? res.strong : res.total; }
  /* What the page says it found counts items, not search records: a video with its matching
   * chapters is one result, the one row it is listed in ("wifi": "Videos 9" for 2 videos until
   * session 43). The API and the client index count them (items, item_counts: carebase.search.
   * items); the list pages by records (strongOf, "Show more"). */
  function itemsOf(res) { return typeof res.items === "number" ? res.items : strongOf(res); }
  function itemCountsOf(res) { return res.item_counts || res.strong_counts || res.counts || {}; }
  /* the items among listed hits ([hit, rank]): a video's chapters and itself once (each hit for
   * an answer that counts hits: an API or index from before session 43) */
  function itemsIn(listed) {
    if (page && page.shown && typeof page.shown.items !== "number") return listed.length;
    var seen = {}, n = 0;
    listed.forEach(function (h) { var key = h[0].kind + " " + h[0].id; if (!seen[key]) { seen[key] = true; n++; } });
    return n;
  }
  /* the weaker matches "Show weaker matches (N)" leads to: every one the list reaches (its first
   * MAX_DEPTH rows), not only those fetched so far ("Show more weaker matches" fetches the rest) */
  function weakerOf(res) {
    return typeof res.weak_items === "number" ? res.weak_items : Math.max(0, Math.min(res.total || 0, MAX_DEPTH) - strongOf(res));
  }
  /* The page's one count of results: the strong matches the customer can reach ("Show more
   * results" pages through the first MAX_DEPTH rows). The heading, the kind filters and the line
   * under the list say it; the weaker matches have their own count, on their button. (Session
   * 40's audit: "102 results for “thermostat”" at the top, "Showing the best 20 of 104 matches",
   * the weaker ones counted in, under the list.) */
  function reachable(n) { return Math.min(n || 0, MAX_DEPTH); }
  /* the line under the strong list while strong rows are left: "Showing the best 20 of 102 results" */
  function partialText(shown, total, kind) {
    return kind ? T("search.partial_words", "Showing the best {shown} of {total} results. Add a word to narrow them down.",
                    { shown: shown, total: total })
      : T("search.partial", "Showing the best {shown} of {total} results. Add a word or choose a kind to narrow them down.",
          { shown: shown, total: total });
  }
  function safeHits(res) {
    return (res.hits || []).filter(function (hit) { return /^https?:$/.test(new URL(hit.url, base).protocol); });
  }
  function searchUrl(q, from) {
    return new URL("search/?q=" + encodeURIComponent(q) + (from ? "&from=" + encodeURIComponent(from) : ""), base).href;
  }

  /* ---- a box that suggests: the ARIA combobox pattern ------------------------------------- */
  var made = 0;
  function Combobox(form) {
    var self = this, n = ++made;
    this.form = form;
    this.input = form.querySelector("input[name=q]");
    this.source = form.getAttribute("data-carebase-search") || "home";
    this.runner = new Runner(true);
    this.turn = 0; /* the answers shown, counted (update) */
    this.options = [];
    this.active = -1;
    this.popup = el("div", { class: "cb-suggest", id: "cb-suggest-" + n, hidden: "" });
    this.note = el("p", { class: "cb-suggest__note", hidden: "" });
    this.list = el("div", { class: "cb-suggest__list", role: "listbox", id: "cb-suggest-list-" + n,
                            "aria-label": T("search.suggestions", "Suggestions"), "data-carebase-results": this.source });
    this.status = el("div", { class: "cb-visually-hidden", role: "status", "aria-live": "polite" });
    this.popup.appendChild(this.note);
    this.popup.appendChild(this.list);
    form.appendChild(this.popup);
    form.appendChild(this.status);
    var input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.addEventListener("input", function () { self.update(); });
    /* the index (meta.json) and the probe start when the box is pressed or focused, so the
     * first keystroke finds them under way */
    input.addEventListener("pointerdown", ready);
    input.addEventListener("focus", function () { ready(); if (input.value.trim() && self.options.length) self.open(); });
    input.addEventListener("keydown", function (e) { self.key(e); });
    input.addEventListener("blur", function () { setTimeout(function () { if (!form.contains(document.activeElement)) self.close(); }, 150); });
    document.addEventListener("pointerdown", function (e) { if (!form.contains(e.target)) self.close(); });
    this.list.addEventListener("pointerdown", function (e) { e.preventDefault(); }); /* keep the focus in the box */
  }
  Combobox.prototype.update = function () {
    var self = this, q = this.input.value.trim(), typed = this.input.value.slice(0, 200);
    if (!q) { this.runner.cancel(); this.clear(); return; }
    this.runner.run(typed, "", SUGGESTIONS + 4, API_PAUSE, function (res) {
      var turn = ++self.turn; /* an answer filled after a newer one (or a cleared box) is not shown */
      var stale = function () { return turn !== self.turn; };
      filled(res, typed, stale).then(function (full) { if (!stale()) self.render(q, full); });
    });
  };
  /* the suggestions of an answer: its strong hits in their order, at most CHAPTERS chapters of
   * one video (the next hits of every kind take the places left), SUGGESTIONS at most */
  function suggested(res) {
    var chapters = {};
    return safeHits(res).filter(function (h) {
      if (h.strong === false) return false;
      if (h.kind !== "video" || !h.chapter || typeof h.chapter !== "object") return true;
      chapters[h.id] = (chapters[h.id] || 0) + 1;
      return chapters[h.id] <= CHAPTERS; /* one video's chapters do not fill the list */
    }).slice(0, SUGGESTIONS);
  }
  /* the answer with rows enough for SUGGESTIONS suggestions: while a video's chapters past CHAPTERS
   * left fewer and the list has strong hits not fetched yet, its next rows (the same engine's
   * list), until SUGGESTIONS or the end of the strong hits. Until session 38 the 12 rows fetched
   * were all: a video with more than 7 chapters among them (or two with 11) left fewer than 8.
   * No next rows once stale() (a newer keystroke or a cleared box): nobody will see them. */
  function filled(res, typed, stale) {
    var hits = res && res.hits || [], last = hits[hits.length - 1];
    if (!res || !last || stale() || last.strong === false || hits.length >= Math.min(strongOf(res), MAX_DEPTH) ||
        suggested(res).length >= SUGGESTIONS) return Promise.resolve(res);
    return moreRows(res, typed, "", hits.length, SUGGESTIONS + 4, true).then(function (more) {
      if (!more.length) return res;
      res.hits = hits.concat(more);
      return filled(res, typed, stale);
    }, function () { return res; });
  }
  Combobox.prototype.clear = function () {
    this.turn++;
    this.list.textContent = "";
    this.options = [];
    this.list.removeAttribute("data-carebase-query");
    this.list.removeAttribute("data-carebase-total");
    this.list.removeAttribute("data-carebase-pending");
    this.shown = null;
    this.close();
  };
  Combobox.prototype.open = function () {
    this.popup.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };
  Combobox.prototype.close = function () {
    this.popup.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.activate(-1);
  };
  Combobox.prototype.activate = function (i) {
    if (this.options[this.active]) this.options[this.active].removeAttribute("aria-selected");
    this.active = i;
    var opt = this.options[i];
    if (opt) {
      opt.setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", opt.id);
      if (opt.scrollIntoView) opt.scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };
  Combobox.prototype.key = function (e) {
    var count = this.options.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!count) return;
      e.preventDefault();
      if (this.popup.hidden) { this.open(); this.activate(e.key === "ArrowDown" ? 0 : count - 1); return; }
      var next = this.active + (e.key === "ArrowDown" ? 1 : -1);
      this.activate(next < -1 ? count - 1 : next >= count ? -1 : next);
    } else if (e.key === "Enter") {
      var opt = !this.popup.hidden && this.options[this.active];
      if (opt) { e.preventDefault(); opt.click(); }
    } else if (e.key === "Escape") {
      if (!this.popup.hidden) { e.preventDefault(); this.close(); }
      else if (this.input.value) { e.preventDefault(); this.input.value = ""; this.runner.cancel(); this.clear(); }
    } else if (e.key === "Tab") {
      this.close();
    }
  };
  Combobox.prototype.option = function (attrs, rank) {
    var id = this.list.id + "-" + this.options.length;
    var a = el("a", Object.assign({ role: "option", id: id, tabindex: "-1", class: "cb-suggest__option" }, attrs));
    if (rank) a.setAttribute("data-carebase-rank", String(rank));
    this.options.push(a);
    return a;
  };
  Combobox.prototype.render = function (q, res) {
    var self = this;
    /* the API's answer to the query the list shows already, while the customer moves through
     * that list with the arrow keys: the list stays, so the option under the keys neither
     * moves nor changes (Enter opens what is highlighted); the next keystroke is answered anew.
     * data-cb-answered: the engine that answered last, its list shown or kept */
    pendingMark([this.list], res);
    if (res && res === this.shown) return; /* the same answer, now final (the API failed) */
    this.shown = res;
    if (res) this.list.setAttribute("data-cb-answered", res.engine);
    if (res && res.engine === "api" && this.active >= 0 && !this.popup.hidden &&
        this.list.getAttribute("data-carebase-query") === q) return;
    this.list.textContent = "";
    this.options = [];
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (!res) {
      this.note.hidden = false;
      this.note.textContent = T("search.unavailable.box", "Search is not available right now. Press Enter to try the search page.");
      this.open();
      return;
    }
    var hits = suggested(res);
    /* "See all N results": the count the search page says for this query, which does not complete
     * its last word (the client index's page_strong; "c-wire" offered 38 with the service down,
     * the page said 24, until session 37) */
    var total = typeof res.page_items === "number" ? res.page_items : typeof res.page_strong === "number" ? res.page_strong
      : itemsOf(res);
    hits.forEach(function (h, i) { h.rank = i + 1; });
    GROUP.forEach(function (g) {
      var mine = hits.filter(function (h) { return h.kind === g[0]; });
      if (!mine.length) return;
      var label = el("div", { class: "cb-suggest__group", role: "presentation", id: self.list.id + "-" + g[0] }, g[1]);
      var group = el("div", { role: "group", "aria-labelledby": label.id });
      group.appendChild(label);
      /* a video's chapters under it (its own option, else its title), as the search page lists them */
      rowsOf(mine.map(function (hit) { return [hit, hit.rank]; })).forEach(function (row) {
        var video = row.chapters.length ? row.chapters[0][0].chapter.video || {} : null;
        if (row.head) {
          var hit = row.head[0], a = self.option({ href: new URL(hit.url, base).href, "data-carebase-item": hit.id }, hit.rank);
          var title = el("span", { class: "cb-suggest__title" });
          titleInto(hit, res, title);
          a.appendChild(title);
          var path = pathOf(hit);
          if (path) a.appendChild(el("span", { class: "cb-suggest__meta" }, path));
          group.appendChild(a);
        } else {
          group.appendChild(el("div", { class: "cb-suggest__video", role: "presentation" }, video.title || row.chapters[0][0].title));
        }
        row.chapters.forEach(function (c) {
          var ch = self.option({ href: new URL(c[0].url, base).href, "data-carebase-item": c[0].id,
                                 class: "cb-suggest__option cb-suggest__option--chapter" }, c[1]);
          /* read out with its video: "Reconnect Lumo to Wi-Fi, Chapter 0:06 Open Wi-Fi settings" */
          ch.appendChild(el("span", { class: "cb-visually-hidden" }, (video.title || "") + ", " + T("search.kind.chapter", "Chapter")));
          ch.appendChild(document.createTextNode(" "));
          ch.appendChild(el("span", { class: "cb-suggest__time" }, clock(c[0].chapter.start)));
          ch.appendChild(document.createTextNode(" "));
          var t = el("span", { class: "cb-suggest__title" });
          titleInto({ title: c[0].chapter.title || c[0].title }, res, t);
          ch.appendChild(t);
          group.appendChild(ch);
        });
      });
      self.list.appendChild(group);
    });
    var all = this.option({ href: searchUrl(q, this.source), class: "cb-suggest__option cb-suggest__all" });
    all.textContent = total
      ? T("search.see_all", { one: "See all {count} result for “{query}”", other: "See all {count} results for “{query}”" },
          { count: total, query: q })
      : T("search.search_for", "Search for “{query}”", { query: q });
    this.list.appendChild(all);
    this.list.setAttribute("data-carebase-query", q);
    this.list.setAttribute("data-carebase-total", String(total));
    this.list.setAttribute("data-cb-engine", res.engine);
    this.note.textContent = "";
    this.note.hidden = !(res.suggestion || !hits.length);
    if (res.suggestion) {
      around(T("search.did_you_mean", "Did you mean {suggestion}?"),
             el("strong", { class: "cb-suggest__dym" }, res.suggestion), this.note);
    } else if (!hits.length) {
      /* weaker matches only: the search page offers them (Enter), so not "No matches" */
      this.note.textContent = res.total > 0
        ? T("search.no_close", "No close matches for “{query}”. Press Enter for weaker ones.", { query: q })
        : T("search.no_matches", "No matches for “{query}”. Try other words.", { query: q });
    }
    var count = T("search.suggestion_count", { one: "{count} suggestion", other: "{count} suggestions" }, { count: hits.length });
    this.status.textContent = !hits.length ? T("search.no_suggestions", "No suggestions")
      : res.suggestion ? T("search.suggestion_for", "{text}, for {suggestion}", { text: count, suggestion: res.suggestion }) : count;
    if (document.activeElement === this.input) this.open();
    document.dispatchEvent(new CustomEvent("carebase:search-results", { detail: {
      query: q, total: total, engine: res.engine, source: this.source, pending: !!res.pending } }));
  };

  /* ---- the search page: results, filters, weaker matches ---------------------------------- */
  function ResultsPage(form, holder) {
    var self = this;
    this.form = form;
    this.input = form.querySelector("input[name=q]");
    this.source = "search-page";
    this.runner = new Runner();
    this.kind = "";
    this.limit = PAGE_LIMIT;
    holder.removeAttribute("aria-live");
    holder.hidden = true;
    this.holder = holder;
    /* each category's page (its title → its address from the site's root; pages.home.search_page):
     * a result's path links its category there (the index's hits name the category by title) */
    try { this.categories = JSON.parse(holder.getAttribute("data-cb-categories") || "{}") || {}; } catch (e) { this.categories = {}; }
    this.status = el("p", { class: "cb-results__status", role: "status", "aria-live": "polite", id: "cb-results-status" });
    this.suggest = el("p", { class: "cb-results__suggest", hidden: "" });
    this.filters = el("div", { class: "cb-results__filters", role: "group", "aria-label": T("search.filter.label", "Show results of one kind") });
    this.list = el("ol", { class: "cb-results__list", id: "cb-results", "data-carebase-results": this.source,
                           "aria-labelledby": "cb-results-status" });
    this.weakerButton = el("button", { type: "button", class: "cb-results__weaker md-button", "aria-expanded": "false",
                                      "aria-controls": "cb-results-weaker", hidden: "" });
    this.weaker = el("ol", { class: "cb-results__list cb-results__list--weaker", id: "cb-results-weaker",
                             "data-carebase-results": this.source, "aria-label": T("search.weaker", "Weaker matches"), hidden: "" });
    this.more = el("p", { class: "cb-results__more", hidden: "" });
    /* "Show more results": under the strong list while strong rows are left, else under the
     * weaker ones (placeMore); its count is said by a live region of its own (the status line
     * keeps the query's count) */
    this.moreButton = el("button", { type: "button", class: "cb-results__more-button md-button", hidden: "" });
    this.moreLive = el("p", { class: "cb-visually-hidden", role: "status", "aria-live": "polite" });
    this.want = 0; /* rows to show on arrival: a reload or Back to a page "Show more" had grown */
    [this.status, this.suggest, this.filters, this.list, this.moreButton, this.weakerButton, this.weaker, this.more, this.moreLive]
      .forEach(function (x) { holder.appendChild(x); });
    this.moreButton.addEventListener("click", function () { self.showMore(); });
    this.input.setAttribute("dir", "auto");
    this.input.setAttribute("aria-controls", this.list.id);
    this.input.setAttribute("aria-describedby", this.status.id);
    FILTERS.forEach(function (f) {
      var b = el("button", { type: "button", class: "cb-results__filter", "data-kind": f[0], "aria-pressed": f[0] ? "false" : "true" });
      b.appendChild(el("span", {}, f[1]));
      b.appendChild(el("span", { class: "cb-results__count" }, ""));
      b.addEventListener("click", function () {
        if (self.kind === f[0]) return;
        self.kind = f[0];
        self.run(true, false, true);
      });
      self.filters.appendChild(b);
    });
    this.weakerButton.addEventListener("click", function () {
      var open = self.weaker.hidden;
      self.showWeaker(open);
      self.more.hidden = !self.more.textContent;
      self.placeMore();
      if (open && self.weaker.querySelector("a.cb-result__link")) self.weaker.querySelector("a.cb-result__link").focus(); /* its first result (not its path) */
    });
    var timer = null;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      self.kind = ""; /* a new query starts unfiltered (the header and home boxes open it so too) */
      timer = setTimeout(function () { self.run(false); }, 30);
    });
    this.input.addEventListener("pointerdown", ready);
    this.input.addEventListener("focus", ready);
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); self.run(true, true); });
    /* Back and Forward: the query and the kind of that entry and its results (each submitted
     * query and each filter chosen is an entry of its own: run(true, true) and run(true, false,
     * true) below) */
    window.addEventListener("popstate", function (e) {
      if (!e.state || typeof e.state.cbq !== "string") return;
      clearTimeout(timer);
      self.input.value = e.state.cbq;
      self.kind = kindOf(e.state.cbk);
      self.want = e.state.cbs || 0;
      self.run(true);
    });
    holder.addEventListener("keydown", function (e) { self.key(e); });
    form.addEventListener("keydown", function (e) { self.key(e); });
  }
  /* Whatever the query found: the page's "Or browse …" line and its "Still need help?" block
   * come up into the results' place, right under its last row (or "Show weaker matches"), so a
   * customer with one close match, or none, sees them on the first screen. That place keeps its
   * room (.cb-has-query: against layout shift), which pushed them below the first screen at 390
   * and 1,280 px under a short list (session 40's audit: ~330 px blank under one strong result);
   * moved inside it, nothing on screen moves (what moves up, the footer, stays below the first
   * screen). Put back in their own place when the box is emptied (the results' place hidden). */
  ResultsPage.prototype.help = function (inside) {
    var self = this;
    if (!this.helpers) {
      this.helpers = [document.querySelector(".cb-search-browse"), document.querySelector(".md-content section.cb-contact")]
        .filter(function (x) { return x && !self.holder.contains(x); });
      this.helpersHome = document.createComment("carebase: the browse line and contact block's own place");
      if (this.helpers.length) this.helpers[0].parentNode.insertBefore(this.helpersHome, this.helpers[0]);
    }
    if (!this.helpers.length || inside === !!this.helpersInside) return;
    this.helpersInside = inside;
    this.helpers.forEach(function (x) {
      if (inside) self.holder.appendChild(x);
      else self.helpersHome.parentNode.insertBefore(x, self.helpersHome);
    });
    this.holder.classList.toggle("cb-search-results--help", inside);
  };
  /* what the arrow keys move through: the links shown and each video's "N more chapters"
   * (not the links of one still closed, nor a chapter's of the weaker list while it is hidden) */
  ResultsPage.prototype.links = function () {
    var holder = this.holder;
    /* the results' own links (not their paths' steps: Tab reaches those) */
    return Array.prototype.filter.call(holder.querySelectorAll("ol a.cb-result__link, ol summary"), function (x) {
      for (var p = x.tagName === "SUMMARY" ? x.parentNode.parentNode : x.parentNode; p && p !== holder; p = p.parentNode) {
        if (p.hidden || (p.tagName === "DETAILS" && !p.open)) return false;
      }
      return true;
    });
  };
  ResultsPage.prototype.key = function (e) {
    var links = this.links(), at = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!links.length || (e.target === this.input && e.key === "ArrowUp") || (e.target !== this.input && at < 0)) return;
      e.preventDefault();
      var next = e.target === this.input ? 0 : at + (e.key === "ArrowDown" ? 1 : -1);
      if (next < 0) this.input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    } else if (e.key === "Escape" && at >= 0) {
      this.input.focus();
    }
  };
  /* now: a settled question (the landing query, Enter, a filter), answered at once by the API;
   * else a keystroke. A settled question also goes through this.gate (ask.js: the Ask box's
   * answer, settled or given up) before its results are shown, so the answer and the results
   * appear in one frame and nothing the customer reads is pushed down when the answer comes. */
  ResultsPage.prototype.run = function (now, submitted, filtered) {
    var self = this, q = cleanQuery(this.input.value);
    if (!q) { this.runner.cancel(); this.help(false); this.holder.hidden = true; this.list.textContent = ""; this.shown = null; return Promise.resolve(null); }
    this.remember(q, now, submitted, filtered);
    var gate = now && this.gate ? this.gate(this.input.value) : null, open = !gate, held;
    var ran = this.runner.run(this.input.value.slice(0, 200), this.kind, this.limit, now ? 0 : API_PAUSE,
                              function (res) { if (open) self.render(q, res); else held = [res]; });
    if (!gate) return ran;
    var seq = this.runner.seq;
    gate.then(null, function () { return null; }).then(function () {
      open = true;
      if (held && seq === self.runner.seq) self.render(q, held[0]);
    });
    return ran.then(function (res) { return gate.then(null, function () { return null; }).then(function () { return res; }); });
  };
  /* The address bar follows the box and the filter (?q=…&kind=video), so a reload, Back and
   * Forward and a shared link show what was shown; a submitted query and a filter chosen are
   * history entries of their own (pushState; the entry a submitted query leaves gets its own
   * query and kind back: typing rewrote its address), their state {cbq: query, cbk: kind} read
   * back on Back/Forward. Typing, Back and Forward add no entry. */
  function pageAddress(q, kind, shown) {
    return "?q=" + encodeURIComponent(q) + (kind ? "&kind=" + kind : "") + (shown > PAGE_LIMIT ? "&shown=" + shown : "");
  }
  ResultsPage.prototype.remember = function (q, now, submitted, filtered) {
    if (submitted || filtered || !now) this.want = 0; /* a new search or filter starts at its first page */
    var st = history.state, url = pageAddress(q, this.kind, this.want), mine = st && typeof st.cbq === "string";
    if (this.want > PAGE_LIMIT && !submitted && !filtered && now) {
      history.replaceState({ cbq: q, cbk: this.kind, cbs: this.want }, "", url);
      return;
    }
    if (filtered && mine) {
      history.pushState({ cbq: q, cbk: this.kind }, "", url);
    } else if (submitted && mine && st.cbq !== q) {
      history.replaceState(st, "", pageAddress(st.cbq, kindOf(st.cbk)));
      history.pushState({ cbq: q, cbk: this.kind }, "", url);
    } else {
      history.replaceState(now ? { cbq: q, cbk: this.kind } : st, "", url);
    }
  };
  /* A list's rows (strong or weaker), as the service's page without JavaScript groups them
   * (search_page.grouped): a video's one row per step of PAGE_LIMIT hits (ranks 1-20, 21-40, ...),
   * at its first hit's place in that step, holds its own hit (head, when it is in this list and
   * step) and its chapters' (in the video's order), every other hit a row of its own. By steps so
   * that "Show more results" only adds rows below those shown: a chapter of a video listed in an
   * earlier step starts a new row at the bottom (titled with its video), never joining the earlier
   * row above. Every hit keeps its rank (its place in the one list, data-carebase-rank); the
   * counts the page says count items (itemsOf), "Show more" pages by hits. */
  function rowsOf(hits) {
    var rows = [], videos = {};
    hits.forEach(function (h) {
      var hit = h[0];
      if (hit.kind !== "video") { rows.push({ head: h, chapters: [] }); return; }
      var key = (h[1] > 0 ? Math.floor((h[1] - 1) / PAGE_LIMIT) : 0) + ":" + hit.id, row = videos[key];
      if (!row) { row = videos[key] = { key: key, head: null, chapters: [] }; rows.push(row); }
      if (hit.chapter && typeof hit.chapter === "object") row.chapters.push(h);
      else if (!row.head) row.head = h;
    });
    rows.forEach(function (row) {
      row.chapters.sort(function (a, b) { return (a[0].chapter.start || 0) - (b[0].chapter.start || 0) || a[1] - b[1]; });
    });
    return rows;
  }
  /* a chapter's start as a video player shows it: "2:20", "1:02:05" (search_page.clock) */
  function clock(seconds) {
    var s = Math.max(0, Math.floor(+seconds || 0)), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return s >= 3600 ? Math.floor(s / 3600) + ":" + pad(Math.floor(s % 3600 / 60)) + ":" + pad(s % 60) : Math.floor(s / 60) + ":" + pad(s % 60);
  }
  /* where a hit sits, on one line: "Billing and Lumo Plus › Billing questions" (the API's path,
   * or the client index's, the same: search-index.js placed) */
  var PATH_SEPARATOR = " \u203a ";
  function pathOf(hit, drop) {
    return steps(hit, drop).map(function (s) { return s[0]; }).join(PATH_SEPARATOR);
  }
  /* [name, its page or null] of each step of a hit's path: the API's path_urls (routes_search.placed),
   * else (the client index's hits) the category's page from ``categories`` and, for an FAQ
   * question or a video chapter, the page it sits on (its address without its "#…") */
  function steps(hit, drop, categories) {
    var urls = Array.isArray(hit.path_urls) ? hit.path_urls : null, out = [];
    (Array.isArray(hit.path) ? hit.path : (hit.category ? [hit.category] : [])).forEach(function (name, i) {
      if (!name) return;
      var url = urls ? urls[i] : name === hit.category ? (categories || {})[name] : String(hit.url || "").split("#")[0];
      out.push([String(name), typeof url === "string" && url ? url : null]);
    });
    return out.slice(0, out.length - (drop || 0));
  }
  /* where a hit sits, above its link: each step a link to its page, as a help centre's
   * breadcrumbs are (search_page._path draws the same without JavaScript); outside the result's
   * link (a link holds no link), not a landmark, the separators not read out */
  ResultsPage.prototype.path = function (hit, drop) {
    var parts = steps(hit, drop, this.categories);
    if (!parts.length) return null;
    var box = el("div", { class: "cb-result__path" });
    parts.forEach(function (p, i) {
      if (i) box.appendChild(el("span", { class: "cb-result__sep", "aria-hidden": "true" }, PATH_SEPARATOR));
      var href = null;
      try { href = p[1] && new URL(p[1], base).href; } catch (e) { href = null; }
      box.appendChild(href && /^https?:/.test(href) ? el("a", { class: "cb-result__step", href: href }, p[0])
                                                    : el("span", { class: "cb-result__step" }, p[0]));
    });
    return box;
  };
  /* a list filled with the rows of these hits ([hit, rank]); a video's "N more chapters" the
   * customer opened stays open when "Show more results" fills the list again */
  ResultsPage.prototype.fill = function (list, hits, res) {
    var self = this, open = {};
    Array.prototype.forEach.call(list.querySelectorAll("details.cb-result__more-chapters[open]"), function (d) {
      open[d.getAttribute("data-cb-row")] = true;
    });
    list.textContent = "";
    rowsOf(hits).forEach(function (row) { list.appendChild(self.row(row, res, open[row.key])); });
  };
  /* a video row's chapters: its CHAPTERS best-ranked ones shown (so its first hit, where "Show
   * more" and a #cb-rN address land, is always in view), the rest behind "N more chapters";
   * each part in the video's order */
  function chapterParts(chapters) {
    if (chapters.length <= CHAPTERS) return [chapters, []];
    var best = chapters.slice().sort(function (a, b) { return a[1] - b[1]; }).slice(0, CHAPTERS);
    return [chapters.filter(function (c) { return best.indexOf(c) >= 0; }),
            chapters.filter(function (c) { return best.indexOf(c) < 0; })];
  }
  ResultsPage.prototype.row = function (row, res, opened) {
    var self = this, head = row.head;
    if (!row.chapters.length) return this.item(head[0], head[1], res);
    var first = row.chapters[0][0], video = first.chapter.video || {};
    var title = (head ? head[0].title : video.title) || first.title;
    var li = el("li", { class: "cb-result cb-result--video" });
    var where = head ? this.path(head[0]) : this.path(first, 1); /* a chapter's: the video's, its category */
    if (where) li.appendChild(where);
    if (head) li.appendChild(this.link(head[0], head[1], res));
    else {
      var top = el("div", { class: "cb-result__head" });
      top.appendChild(el("span", { class: "cb-result__kind cb-result__kind--video" }, KIND.video));
      top.appendChild(el("span", { class: "cb-result__title" }, title));
      li.appendChild(top);
    }
    var label = T("search.chapters", "Chapters of “{title}”", { title: title }), parts = chapterParts(row.chapters);
    var ol = el("ol", { class: "cb-result__chapters", "aria-label": label });
    var chapter = function (c) {
      var item = el("li", { class: "cb-result cb-result--chapter" });
      var a = el("a", { href: new URL(c[0].url, base).href, class: "cb-result__link cb-result__link--chapter",
                        "data-carebase-item": c[0].id, "data-carebase-rank": String(c[1]) });
      /* read out "Video 2:20 Connect to Wi-Fi" in the list "Chapters of …" (its kind, as every
       * result says it, heard only: the row above shows it; spaces between its parts) */
      a.appendChild(el("span", { class: "cb-visually-hidden cb-result__kind cb-result__kind--video" }, KIND.video));
      a.appendChild(document.createTextNode(" "));
      a.appendChild(el("span", { class: "cb-result__time" }, clock(c[0].chapter.start)));
      a.appendChild(document.createTextNode(" "));
      a.appendChild(el("span", { class: "cb-result__title" }, c[0].chapter.title || c[0].title));
      self.text(c[0], res, a);
      named(a);
      item.appendChild(a);
      return item;
    };
    parts[0].forEach(function (c) { ol.appendChild(chapter(c)); });
    if (parts[1].length) { /* the list's last item: "2 more chapters", opening the others */
      var more = el("details", { class: "cb-result__more-chapters", "data-cb-row": row.key });
      more.appendChild(el("summary", { class: "cb-result__more-summary" },
                          T("search.chapters.more", { one: "{count} more chapter", other: "{count} more chapters" },
                            { count: parts[1].length })));
      var rest = el("ol", { class: "cb-result__chapters cb-result__chapters--more", "aria-label": label });
      parts[1].forEach(function (c) { rest.appendChild(chapter(c)); });
      more.appendChild(rest);
      if (opened) more.open = true;
      ol.appendChild(el("li", { class: "cb-result cb-result--more-chapters" })).appendChild(more);
    }
    li.appendChild(ol);
    return li;
  };
  /* a result link's accessible name is its kind and title (a chapter's: kind, time, title), and
   * its snippet its description: a screen reader says "Article Remove your old thermostat" when
   * tabbing through the results, then the snippet after a pause, not a paragraph as the link's
   * name (session 41's audit: about 45 words per result). The snippet stays where it is seen,
   * hidden from the name (aria-hidden) and referenced as the description (aria-describedby reads
   * hidden text): the name holds all the visible text it names (WCAG 2.5.3, axe's
   * label-content-name-mismatch, which aria-labelledby of the kind and title broke). */
  var nameSeq = 0;
  function named(a) {
    var text = a.querySelector(".cb-result__text");
    if (!text) return;
    if (!text.id) text.id = "cb-rn" + (++nameSeq);
    text.setAttribute("aria-hidden", "true");
    a.setAttribute("aria-describedby", text.id);
  }
  ResultsPage.prototype.text = function (hit, res, a) {
    var text = el("span", { class: "cb-result__text" });
    if (res.engine === "api") safeSnippet(hit.snippet || "", text);
    else highlight(hit.text || "", res.terms || [], text);
    if (text.textContent) a.appendChild(text);
  };
  ResultsPage.prototype.link = function (hit, rank, res) {
    var a = el("a", { href: new URL(hit.url, base).href, class: "cb-result__link",
                      "data-carebase-item": hit.id, "data-carebase-rank": String(rank) });
    a.appendChild(el("span", { class: "cb-result__kind cb-result__kind--" + hit.kind }, KIND[hit.kind] || hit.kind));
    var title = el("span", { class: "cb-result__title" });
    titleInto(hit, res, title);
    a.appendChild(title);
    this.text(hit, res, a);
    named(a);
    return a;
  };
  ResultsPage.prototype.item = function (hit, rank, res) {
    var li = el("li", { class: "cb-result" }), where = this.path(hit);
    if (where) li.appendChild(where);
    li.appendChild(this.link(hit, rank, res));
    return li;
  };
  ResultsPage.prototype.render = function (q, res) {
    var self = this, got = res && safeHits(res).length;
    /* a page "Show more" had grown (reload, Back, a shared address): its rows in one frame (no
     * layout shift), asked before they are drawn */
    if (res && !res.pending && this.want > got && res.total > got && !res.grown) {
      var seq = this.runner.seq, want = Math.min(this.want, res.total, MAX_DEPTH);
      res.grown = true;
      return moreRows(res, q, this.kind, (res.hits || []).length, want - (res.hits || []).length).then(function (hits) {
        res.hits = (res.hits || []).concat(hits);
      }, function () { /* the first rows at least */ }).then(function () {
        if (seq === self.runner.seq) self.render(q, res);
      });
    }
    this.holder.hidden = false;
    pendingMark([this.list, this.weaker], res);
    if (res && res === this.shown) return; /* the same answer, now final (the API failed) */
    this.shown = res;
    if (!res) {
      this.list.textContent = "";
      this.weaker.textContent = "";
      this.status.textContent = T("search.unavailable.page", "Search is not available right now. Try the topics below.");
      this.help(true);
      return;
    }
    var counts = itemCountsOf(res), all = (counts.article || 0) + (counts.faq || 0) + (counts.video || 0);
    var total = itemsOf(res), logged = this.kind ? all : total;
    this.help(true);
    this.holder.setAttribute("data-cb-engine", res.engine);
    this.list.textContent = "";
    this.weaker.textContent = "";
    var hits = safeHits(res), strongHits = [], weakHits = [];
    hits.forEach(function (hit, i) { (hit.strong === false ? weakHits : strongHits).push([hit, i + 1]); });
    var strong = strongHits.length, weak = weakHits.length;
    this.fill(this.list, strongHits, res);
    this.fill(this.weaker, weakHits, res);
    this.listed = [strongHits, weakHits];
    /* the count events.js logs is the query's strong results of every kind, as the page says it: a filter narrows
     * what is shown, it is not another search (nor a failed one when its kind has none) */
    [this.list, this.weaker].forEach(function (list) {
      list.setAttribute("data-carebase-query", q);
      list.setAttribute("data-carebase-total", String(logged));
    });
    Array.prototype.forEach.call(this.filters.children, function (b) {
      var kind = b.getAttribute("data-kind");
      b.setAttribute("aria-pressed", String(kind === self.kind));
      b.lastChild.textContent = " " + num(reachable(kind ? counts[kind] || 0 : all));
      b.disabled = !!kind && !counts[kind] && kind !== self.kind;
    });
    this.filters.hidden = !all;
    /* no strong match but weaker ones: "No close matches", never "No results" over a list of them
     * (logged as the failed search it is: the count events.js logs is the strong matches, 0) */
    var kind = this.kind || "all", english = COUNT[this.kind];
    withQuery(total ? T("search.count." + kind, english[0], { count: reachable(total) })
      : (weak ? T("search.weak." + kind, WEAK[this.kind]) : T("search.none." + kind, english[1])) +
        (res.suggestion ? "" : T("search.try_other", ". Try other words, or browse the topics.")), q, this.status);
    this.suggest.textContent = "";
    this.suggest.hidden = !res.suggestion;
    if (res.suggestion) {
      var s = el("a", { href: searchUrl(res.suggestion), class: "cb-results__suggestion" }, res.suggestion);
      s.addEventListener("click", function (e) {
        e.preventDefault();
        self.input.value = res.suggestion;
        self.input.dispatchEvent(new Event("input", { bubbles: true }));
        self.input.focus();
      });
      around(T("search.did_you_mean", "Did you mean {suggestion}?"), s, this.suggest);
    }
    /* the count is every weaker match the list reaches: the button opens those fetched so far and
       "Show more weaker matches" the rest (until session 36 it counted only those fetched: "(17)"
       for "thermostat offline"'s 99, "(3)" once "Show more" had reached them) */
    this.weakerLabel = T("search.weaker.show", "Show weaker matches ({count})", { count: Math.max(itemsIn(weakHits), weakerOf(res)) });
    this.weakerButton.hidden = !weak;
    this.showWeaker(false);
    this.rows = (res.hits || []).length;
    this.strongRows = strong;
    this.strongItems = itemsIn(strongHits);
    this.weakRows = weak;
    this.moreQuery = q;
    if (weak && this.rows > PAGE_LIMIT && this.want > PAGE_LIMIT) this.showWeaker(true); /* "Show more" had reached weaker rows: open */
    this.placeMore();
    /* strong rows left to show: said in the heading's count (the weaker ones: their button's) */
    var partial = strong > 0 && this.strongItems < reachable(total);
    this.more.textContent = partial ? partialText(this.strongItems, reachable(total), this.kind) : "";
    this.more.hidden = !partial;
    document.dispatchEvent(new CustomEvent("carebase:search-results", { detail: {
      query: q, total: logged, engine: res.engine, source: this.source, pending: !!res.pending } }));
  };

  /* the weaker matches' list open or closed, its button saying so */
  ResultsPage.prototype.showWeaker = function (open) {
    this.weaker.hidden = !open;
    this.weakerButton.setAttribute("aria-expanded", String(open));
    this.weakerButton.textContent = open ? T("search.weaker.hide", "Hide weaker matches") : this.weakerLabel;
  };
  /* The "Show more results" button: under the strong list while strong rows are left, else
   * under the open weaker list (hidden while it is closed: its button opens the rows shown so
   * far first); none once every row (or the first MAX_DEPTH) is shown. */
  ResultsPage.prototype.placeMore = function () {
    var res = this.shown, b = this.moreButton;
    var left = res && this.rows < Math.min(res.total || 0, MAX_DEPTH);
    if (!left) { b.hidden = true; return; }
    var strongLeft = this.rows < strongOf(res);
    b.textContent = strongLeft || !this.weakRows ? T("search.more", "Show more results")
      : T("search.more.weaker", "Show more weaker matches");
    if (strongLeft || !this.weakRows) {
      this.holder.insertBefore(b, this.list.nextSibling);
      b.hidden = false;
    } else {
      this.holder.insertBefore(b, this.weaker.nextSibling);
      b.hidden = this.weaker.hidden;
    }
  };
  /* PAGE_LIMIT more rows of the list shown, from the engine that answered it: appended, the
   * focus on the first new one, the count said (moreLive), the address keeping it (&shown=) */
  ResultsPage.prototype.showMore = function () {
    var self = this, res = this.shown, q = this.moreQuery, seq = this.runner.seq;
    if (!res || this.loading) return;
    this.loading = true;
    this.moreButton.setAttribute("aria-busy", "true");
    var from = this.rows;
    return moreRows(res, q, this.kind, from, Math.min(PAGE_LIMIT, MAX_DEPTH - from)).then(function (hits) {
      self.loading = false;
      self.moreButton.removeAttribute("aria-busy");
      if (seq !== self.runner.seq || res !== self.shown) return;
      var first = null, weakBefore = self.weakRows, got = hits.length;
      /* votes can re-rank the list between two requests: a hit already listed is not listed twice
       * (by its address: a video's chapters share its id) */
      var listed = {};
      (res.hits || []).forEach(function (hit) { listed[new URL(hit.url, base).href] = true; });
      hits = hits.filter(function (hit) {
        var url = new URL(hit.url, base);
        return /^https?:$/.test(url.protocol) && !listed[url.href];
      });
      /* the new rows go below those shown (rowsOf groups each step's hits on their own: a
       * chapter of a video listed in an earlier step starts a row of its own at the bottom) */
      hits.forEach(function (hit, i) {
        if (hit.strong === false) { self.weakRows++; self.listed[1].push([hit, from + i + 1]); }
        else { self.strongRows++; self.listed[0].push([hit, from + i + 1]); }
      });
      if (hits.length) {
        self.fill(self.list, self.listed[0], res);
        self.fill(self.weaker, self.listed[1], res);
        /* the focus on the first new row's first link (the top of what was added) */
        first = [].filter.call(self.holder.querySelectorAll("a[data-carebase-rank]"), function (a) {
          return +a.dataset.carebaseRank > from;
        })[0] || null;
      }
      res.hits = (res.hits || []).concat(hits);
      self.rows = from + got;
      if (self.weakRows) {
        self.weakerLabel = T("search.weaker.show", "Show weaker matches ({count})",
                             { count: Math.max(itemsIn(self.listed[1]), weakerOf(res)) });
        self.weakerButton.hidden = false;
        if (!weakBefore || !self.weaker.hidden) self.showWeaker(true);
      }
      var strongLeft = self.strongRows < reachable(strongOf(res));
      var itemTotal = reachable(itemsOf(res)), itemsLeft = (self.strongItems = itemsIn(self.listed[0])) < itemTotal;
      self.more.textContent = itemsLeft ? partialText(self.strongItems, itemTotal, self.kind) : "";
      self.more.hidden = !itemsLeft;
      self.placeMore();
      /* said as the page counts: the results while strong rows are left, then the weaker matches */
      self.moreLive.textContent = strongLeft || !self.weakRows
        ? T("search.shown", "Showing {shown} of {total} results", { shown: self.strongItems, total: itemTotal })
        : T("search.shown.weaker", "Showing {shown} of {total} weaker matches",
            { shown: itemsIn(self.listed[1]), total: Math.max(itemsIn(self.listed[1]), weakerOf(res)) });
      self.want = self.rows;
      history.replaceState({ cbq: q, cbk: self.kind, cbs: self.rows }, "", pageAddress(q, self.kind, self.rows));
      if (first) first.focus();
    }, function () { /* timeout, 429, 5xx: said, and the button stays to try again */
      self.loading = false;
      self.moreButton.removeAttribute("aria-busy");
      if (seq !== self.runner.seq || res !== self.shown) return;
      self.moreLive.textContent = T("search.unavailable.page", "Search is not available right now. Try the topics below.");
    });
  };

  /* ---- start ----------------------------------------------------------------------------- */
  var boxes = [], page = null;
  forms.forEach(function (f) {
    var holder = document.querySelector("[data-cb-search-results]");
    if (f.hasAttribute("data-cb-combobox")) boxes.push(new Combobox(f));
    else if (holder && !page) page = new ResultsPage(f, holder);
  });
  /* "/" focuses the first search box (as on most help centres), unless the customer is typing */
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = (page && page.input) || (boxes[0] && boxes[0].input);
    if (!box) return;
    e.preventDefault();
    var header = box.closest(".cb-header-search");
    if (header) header.classList.add("cb-header-search--open");
    box.focus();
  });
  /* the header's magnifier on small screens opens the box instead of the search page */
  Array.prototype.forEach.call(document.querySelectorAll(".cb-header-search__toggle"), function (toggle) {
    toggle.addEventListener("click", function (e) {
      var holder = toggle.closest(".cb-header-search"), input = holder && holder.querySelector("input[name=q]");
      if (!input) return;
      e.preventDefault();
      holder.classList.add("cb-header-search--open");
      input.focus();
    });
  });
  document.addEventListener("focusout", function (e) {
    var holder = e.target.closest && e.target.closest(".cb-header-search");
    if (holder) setTimeout(function () { if (!holder.contains(document.activeElement)) holder.classList.remove("cb-header-search--open"); }, 150);
  });

  var landing = window.__carebaseQuery;
  /* a history entry of this page that showed its search already (its state: remember below) — a
   * reload, Back or Forward from another page — shows it again, it is not a new search */
  var revisited = !!(history.state && typeof history.state.cbq === "string");
  if (landing && page) {
    ready(); /* the probe (this query's own search) and the index start now, not at DOMContentLoaded */
    /* A search page opened with ?q=: filled once events.js has started (it would report the
     * box as typed on this page), then reported here with where it was typed — unless that
     * box already reported this very query. */
    document.addEventListener("DOMContentLoaded", function () {
      setTimeout(function () {
        page.input.value = cleanQuery(landing.q);
        page.kind = kindOf(landing.kind);
        page.want = landing.shown > PAGE_LIMIT ? landing.shown : 0;
        page.input.focus();
        page.run(true).then(function (res) { if (res) reportLanding(landing, res); });
        /* until the customer types, events.js has no query of its own for this box: the
         * clicks on the landing results are reported here. events.js takes the box over on
         * the events it follows: input, Enter pressed, any other key released. Not on Enter
         * released: the Enter that opened this page from another page's box, still held while
         * this page loaded, is released here (in the box, once focused), and neither script
         * then reported the customer's click on a result. */
        var own = true;
        var stop = function () { own = false; };
        page.input.addEventListener("input", stop);
        page.input.addEventListener("keydown", function (e) { if (e.key === "Enter") stop(); });
        page.input.addEventListener("keyup", function (e) { if (e.key !== "Enter") stop(); });
        page.holder.addEventListener("click", function (e) {
          var link = e.target.closest && e.target.closest("a[data-carebase-item]");
          var cb = window.carebase;
          if (!own || !link || !cb || cb.privacy) return;
          cb.send({ type: "click", query: landing.q.trim().slice(0, 200), item: link.getAttribute("data-carebase-item"),
                    rank: parseInt(link.getAttribute("data-carebase-rank"), 10) });
        });
      }, 0);
    });
  }
  var SOURCES = ["home", "header", "not-found"];
  function reportLanding(landing, res) {
    var cb = window.carebase, q = landing.q.trim().slice(0, 200), last = null;
    if (!cb || cb.privacy || !q || revisited) return;
    try { last = JSON.parse(sessionStorage.getItem("carebase.lastSearch")); } catch (e) { last = null; }
    var source = SOURCES.indexOf(landing.from) >= 0 ? landing.from : "search-page";
    if (last && last.query === q && last.source === source) return;
    try { sessionStorage.setItem("carebase.lastSearch", JSON.stringify({ query: q, source: source })); } catch (e) { /* private mode */ }
    var total = parseInt(page.list.getAttribute("data-carebase-total"), 10);
    cb.send({ type: "search", query: q, results: isNaN(total) ? strongOf(res) : total, source: source });
  }
  /* one query for other parts of the site (the contact form's suggestions): the API when it
   * answers, else the client index; hits with an absolute href and plain text */
  function query(q, limit) {
    return ready().then(function () {
      var viaIndex = function () { return indexSearch(q, "", limit); };
      return state.mode === "api" ? apiSearch(q, "", limit).catch(viaIndex) : viaIndex();
    }).then(function (res) {
      res.hits = safeHits(res).map(function (h) {
        var text = h.text || "";
        if (!text && h.snippet) { var span = document.createElement("span"); safeSnippet(h.snippet, span); text = span.textContent; }
        return { id: h.id, kind: h.kind, title: h.title, href: new URL(h.url, base).href, text: text, strong: h.strong };
      });
      return res;
    });
  }
  window.carebaseSearch = { state: state, ready: ready, boxes: boxes, page: page, query: query, quietJSON: quietJSON };
})();
