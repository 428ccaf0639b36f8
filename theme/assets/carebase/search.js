/* carebase site search: results as you type in the home page's box and on the search page.
 * Asks the service's search API ({service}/api/v1/search, 800 ms timeout) and, when it does
 * not answer, the sharded client index (search-index.js) for the rest of the page's life;
 * the same UI either way: results filterable by kind with counts, highlighted snippets,
 * "did you mean", a status line read by screen readers, arrow-key navigation.
 * The result list carries the widget's attributes (data-carebase-results / -query / -total,
 * data-carebase-item / -rank on links) so events.js logs the final query, its result count
 * and clicks. Material's header search is left alone. No framework, no cookies. */
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form.cb-search"));
  if (!forms.length || !window.fetch || !window.URL) return;
  var cfg = {};
  try { cfg = JSON.parse(document.getElementById("carebase-config").textContent) || {}; } catch (e) { cfg = {}; }
  var service = String(cfg.service || "").replace(/\/+$/, "");
  var base = new URL(cfg.base || ".", location.href);
  if (!/\/$/.test(base.pathname)) base = new URL(base.href + "/");
  var API_TIMEOUT = 800, DEBOUNCE = 30, API_PAUSE = 250;
  var KIND = { article: "Article", faq: "FAQ", video: "Video" };
  var FILTERS = [["", "All"], ["article", "Articles"], ["faq", "FAQ"], ["video", "Videos"]];
  var NOUN = { "": ["result", "results"], article: ["article", "articles"], faq: ["question", "questions"],
               video: ["video", "videos"] };

  /* ---- engines ------------------------------------------------------------------------ */
  var state = { mode: null, index: null, ready: null };
  function timed(url, ms) {
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, ms);
    return fetch(url, { credentials: "omit", mode: "cors", signal: ctl && ctl.signal }).then(function (r) {
      clearTimeout(timer);
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }, function (err) { clearTimeout(timer); throw err; });
  }
  function apiSearch(q, kind, limit) {
    var url = service + "/api/v1/search?q=" + encodeURIComponent(q) + "&limit=" + limit + (kind ? "&type=" + kind : "");
    return timed(url, API_TIMEOUT);
  }
  function useIndex() {
    if (!state.index) {
      state.index = window.carebaseSearchIndex.open(new URL(cfg.index || "search/carebase/", base).href);
      state.index.catch(function () { state.index = null; });
    }
    return state.index;
  }
  /* Is the service up? Chromium reports every failed request of the page (connection
   * refused, a 404) as a console error ("Failed to load resource"), which Lighthouse counts
   * against the page; a dedicated worker's requests are not the page's. So the probe runs in
   * a tiny worker made from a blob (no extra file, nothing to cache) and answers true/false;
   * where workers are missing, the page asks itself. */
  var PROBE_WORKER = "onmessage=function(e){var c=self.AbortController?new AbortController():null," +
    "t=setTimeout(function(){if(c)c.abort()},e.data.ms);fetch(e.data.url,{credentials:'omit',mode:'cors'," +
    "signal:c&&c.signal}).then(function(r){return r.ok?r.json().then(function(){return true}):false}," +
    "function(){return false}).then(function(ok){clearTimeout(t);postMessage(ok)},function(){postMessage(false)})}";
  function probeService() {
    var url = service + "/api/v1/search?q=help&limit=1";
    var worker = null;
    try {
      var src = URL.createObjectURL(new Blob([PROBE_WORKER], { type: "text/javascript" }));
      worker = new Worker(src);
      URL.revokeObjectURL(src);
    } catch (e) { worker = null; }
    if (!worker) return timed(url, API_TIMEOUT);
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { done(false); }, API_TIMEOUT + 200);
      function done(ok) { clearTimeout(timer); worker.terminate(); if (ok) resolve(true); else reject(new Error("service down")); }
      worker.onmessage = function (e) { done(e.data === true); };
      worker.onerror = function (e) { if (e.preventDefault) e.preventDefault(); done(false); };
      worker.postMessage({ url: new URL(url, location.href).href, ms: API_TIMEOUT });
    });
  }
  /* Ready once the engine is known: the API answered a probe (the client index is opened
   * too, for instant results while typing), or it did not and the index is open. */
  function ready() {
    if (!state.ready) {
      /* pages in another language than the default: their own client index (the service's
       * search API answers in the default language) */
      var probe = service && cfg.api !== false ? probeService() : Promise.reject(new Error("no service"));
      var index = useIndex().then(function () { return true; }, function () { return false; });
      state.ready = probe.then(function () { state.mode = "api"; return index; },
                               function () { state.mode = "index"; return index; })
        .then(function (hasIndex) {
          if (!hasIndex && state.mode === "index") state.mode = "none";
          setMode(state.mode);
        });
    }
    return state.ready;
  }
  function setMode(mode) {
    forms.forEach(function (f) { f.setAttribute("data-cb-search-mode", mode); });
  }
  function indexSearch(q, kind, limit) {
    if (!state.index) return Promise.reject(new Error("no client index"));
    return state.index.then(function (index) { return index.search(q, { kind: kind, limit: limit }); })
      .then(function (res) { res.engine = "index"; return res; });
  }
  function serviceSearch(q, kind, limit) {
    return apiSearch(q, kind, limit).then(function (res) { res.engine = "api"; return res; }, function (err) {
      state.mode = "index"; /* down now: the index answers for the rest of this page */
      setMode("index");
      throw err;
    });
  }

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
        else if (child.nodeType === 1) {
          var t = child.tagName === "MARK" ? target.appendChild(document.createElement("mark")) : target;
          walk(child, t);
        }
      });
    })(doc.body.firstChild || doc.body, into);
  }
  /* the index's text: mark words that start with a query term's stem */
  function highlight(text, terms, into) {
    var idx = window.carebaseSearchIndex;
    String(text).split(/(\s+)/).forEach(function (part) {
      var w = idx.words(part)[0];
      var hit = w && terms.some(function (t) { return t.length > 1 && idx.stem(w).indexOf(t) === 0; });
      into.appendChild(hit ? el("mark", {}, part) : document.createTextNode(part));
    });
  }
  function plural(n, one) { return n + " " + one + (n === 1 ? "" : "s"); }

  /* ---- one search box ---------------------------------------------------------------------- */
  var boxes = 0;
  function Box(form) {
    var self = this;
    this.form = form;
    this.input = form.querySelector("input[name=q]");
    this.source = form.getAttribute("data-carebase-search") || (form.closest(".cb-home") ? "home" : "search-page");
    this.page = this.source === "search-page";
    this.limit = this.page ? 20 : 6;
    this.kind = "";
    this.seq = 0;
    this.shown = null;
    var n = ++boxes;
    var holder = this.page && document.querySelector("[data-cb-search-results]");
    if (!holder) { holder = el("div", { class: "cb-search-results cb-search-results--inline" }); form.after(holder); }
    holder.removeAttribute("aria-live");
    holder.hidden = true;
    this.holder = holder;
    this.status = el("p", { class: "cb-results__status", role: "status", "aria-live": "polite", id: "cb-results-status-" + n });
    this.suggest = el("p", { class: "cb-results__suggest", hidden: "" });
    this.filters = el("div", { class: "cb-results__filters", role: "group", "aria-label": "Show results of one kind" });
    this.list = el("ol", { class: "cb-results__list", id: "cb-results-" + n, "data-carebase-results": this.source,
                           "aria-labelledby": "cb-results-status-" + n });
    this.more = el("p", { class: "cb-results__more", hidden: "" });
    [this.status, this.suggest, this.filters, this.list, this.more].forEach(function (x) { holder.appendChild(x); });
    this.input.setAttribute("aria-controls", this.list.id);
    this.input.setAttribute("aria-describedby", this.status.id);
    FILTERS.forEach(function (f) {
      var b = el("button", { type: "button", class: "cb-results__filter", "data-kind": f[0], "aria-pressed": f[0] ? "false" : "true" });
      b.appendChild(el("span", {}, f[1]));
      b.appendChild(el("span", { class: "cb-results__count" }, ""));
      b.addEventListener("click", function () { self.kind = f[0]; self.run(true); });
      self.filters.appendChild(b);
    });
    var timer = null;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.run(false); }, DEBOUNCE);
    });
    this.input.addEventListener("focus", ready);
    form.addEventListener("submit", function (e) {
      if (!self.page) return; /* home: Enter opens the search page with every result */
      e.preventDefault();
      clearTimeout(timer);
      self.run(true);
    });
    form.addEventListener("keydown", function (e) { self.key(e); });
    if (!form.contains(holder)) holder.addEventListener("keydown", function (e) { self.key(e); });
  }
  Box.prototype.links = function () { return Array.prototype.slice.call(this.list.querySelectorAll("a")); };
  Box.prototype.key = function (e) {
    var links = this.links(), at = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!links.length || (e.target === this.input && e.key === "ArrowUp")) return;
      e.preventDefault();
      var next = e.target === this.input ? 0 : at + (e.key === "ArrowDown" ? 1 : -1);
      if (next < 0) this.input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    } else if (e.key === "Escape" && (at >= 0 || !this.page)) {
      this.input.focus();
      if (!this.page && e.target === this.input) { this.input.value = ""; this.clear(); }
    }
  };
  Box.prototype.clear = function () {
    this.seq++;
    this.holder.hidden = true;
    this.list.textContent = "";
    this.status.textContent = "";
    this.list.removeAttribute("data-carebase-query");
    this.list.removeAttribute("data-carebase-total");
  };
  /* Every keystroke asks the client index (prefixes of the word being typed match at once);
   * when the service answers, its ranking (stemming, synonyms, typos, BM25F) replaces those
   * results once typing pauses (API_PAUSE), at once on Enter, a filter or a landing query. */
  Box.prototype.run = function (now) {
    var self = this, q = this.input.value.trim(), seq = ++this.seq, text = this.input.value.slice(0, 200);
    clearTimeout(this.apiTimer);
    if (!q) { this.clear(); return Promise.resolve(null); }
    if (this.page) history.replaceState(history.state, "", "?q=" + encodeURIComponent(q));
    var apiDone = false;
    function show(res) {
      if (seq !== self.seq || (res.engine === "index" && apiDone)) return null; /* stale */
      if (res.engine === "api") apiDone = true;
      self.render(q, res);
      document.dispatchEvent(new CustomEvent("carebase:search-results", { detail: {
        query: q, total: res.total, engine: res.engine, source: self.source } }));
      return res;
    }
    function failed() {
      if (seq !== self.seq || apiDone) return null;
      self.holder.hidden = false;
      self.list.textContent = "";
      self.status.textContent = "Search is not available right now. Try the topics below.";
      return null;
    }
    return ready().then(function () {
      var local = state.index ? indexSearch(text, self.kind, self.limit).then(show, function () { return null; }) : null;
      if (state.mode !== "api") return local ? local.then(function (r) { return r || failed(); }) : failed();
      return new Promise(function (resolve) {
        self.apiTimer = setTimeout(function () {
          if (seq !== self.seq) return resolve(null);
          serviceSearch(text, self.kind, self.limit).then(show).then(resolve, function () {
            if (seq !== self.seq) return resolve(null);
            indexSearch(text, self.kind, self.limit).then(show).then(resolve, function () { resolve(failed()); });
          });
        }, now ? 0 : API_PAUSE);
      });
    });
  };
  Box.prototype.render = function (q, res) {
    var self = this, counts = res.counts || {}, all = (counts.article || 0) + (counts.faq || 0) + (counts.video || 0);
    var total = this.kind ? (counts[this.kind] || 0) : (res.total || all);
    this.holder.hidden = false;
    this.holder.setAttribute("data-cb-engine", res.engine);
    this.list.textContent = "";
    var hits = (res.hits || []).filter(function (hit) { return /^https?:$/.test(new URL(hit.url, base).protocol); });
    hits.forEach(function (hit, i) {
      var li = el("li", { class: "cb-result" });
      var a = el("a", { href: new URL(hit.url, base).href, class: "cb-result__link",
                        "data-carebase-item": hit.id, "data-carebase-rank": String(i + 1) });
      a.appendChild(el("span", { class: "cb-result__kind cb-result__kind--" + hit.kind }, KIND[hit.kind] || hit.kind));
      var title = el("span", { class: "cb-result__title" });
      var text = el("span", { class: "cb-result__text" });
      if (res.engine === "api") {
        title.textContent = hit.title;
        safeSnippet(hit.snippet || "", text);
      } else {
        highlight(hit.title, res.terms || [], title);
        highlight(hit.text || "", res.terms || [], text);
      }
      a.appendChild(title);
      if (text.textContent) a.appendChild(text);
      li.appendChild(a);
      self.list.appendChild(li);
    });
    this.list.setAttribute("data-carebase-query", q);
    this.list.setAttribute("data-carebase-total", String(total));
    Array.prototype.forEach.call(this.filters.children, function (b) {
      var kind = b.getAttribute("data-kind");
      b.setAttribute("aria-pressed", String(kind === self.kind));
      b.lastChild.textContent = " " + (kind ? counts[kind] || 0 : all);
      b.disabled = !!kind && !counts[kind] && kind !== self.kind;
    });
    this.filters.hidden = !all;
    var noun = NOUN[this.kind];
    this.status.textContent = total ? total + " " + noun[total === 1 ? 0 : 1] + " for “" + q + "”"
      : "No " + noun[1] + " for “" + q + "”" + (res.suggestion ? "" : ". Try other words, or browse the topics.");
    this.suggest.textContent = "";
    this.suggest.hidden = !res.suggestion;
    if (res.suggestion) {
      this.suggest.appendChild(document.createTextNode("Did you mean "));
      var s = el("a", { href: new URL("search/?q=" + encodeURIComponent(res.suggestion), base).href, class: "cb-results__suggestion" }, res.suggestion);
      s.addEventListener("click", function (e) {
        e.preventDefault();
        self.input.value = res.suggestion;
        self.input.dispatchEvent(new Event("input", { bubbles: true }));
        self.input.focus();
      });
      this.suggest.appendChild(s);
      this.suggest.appendChild(document.createTextNode("?"));
    }
    this.more.textContent = "";
    this.more.hidden = this.page || total <= hits.length;
    if (!this.more.hidden) {
      this.more.appendChild(el("a", { href: new URL("search/?q=" + encodeURIComponent(q) + "&from=" + this.source, base).href },
                               "See all " + plural(total, "result")));
    }
  };

  /* ---- start ----------------------------------------------------------------------------- */
  var made = forms.map(function (f) { return new Box(f); });
  ready();
  var landing = window.__carebaseQuery;
  var pageBox = made.filter(function (b) { return b.page; })[0];
  if (landing && pageBox) {
    /* A search page opened with ?q=: filled once events.js has started (it would report the
     * box as typed on this page), then reported here with where it was typed — unless the
     * home page already reported this very query. */
    document.addEventListener("DOMContentLoaded", function () {
      setTimeout(function () {
        history.replaceState(history.state, "", "?q=" + encodeURIComponent(landing.q));
        pageBox.input.value = landing.q;
        pageBox.input.focus();
        pageBox.run(true).then(function (res) { if (res) reportLanding(landing, res); });
        /* until the customer types, events.js has no query of its own for this box: the
         * clicks on the landing results are reported here */
        var own = true;
        var stop = function () { own = false; };
        pageBox.input.addEventListener("input", stop);
        pageBox.input.addEventListener("keyup", stop);
        pageBox.list.addEventListener("click", function (e) {
          var link = e.target.closest && e.target.closest("a[data-carebase-item]");
          var cb = window.carebase;
          if (!own || !link || !cb || cb.privacy) return;
          cb.send({ type: "click", query: landing.q.trim().slice(0, 200), item: link.getAttribute("data-carebase-item"),
                    rank: parseInt(link.getAttribute("data-carebase-rank"), 10) });
        });
      }, 0);
    });
  }
  function reportLanding(landing, res) {
    var cb = window.carebase, q = landing.q.trim().slice(0, 200), last = null;
    if (!cb || cb.privacy || !q) return;
    try { last = JSON.parse(sessionStorage.getItem("carebase.lastSearch")); } catch (e) { last = null; }
    var source = landing.from === "home" ? "home" : "search-page";
    if (last && last.query === q && last.source === source) return;
    try { sessionStorage.setItem("carebase.lastSearch", JSON.stringify({ query: q, source: source })); } catch (e) { /* private mode */ }
    var total = parseInt(pageBox.list.getAttribute("data-carebase-total"), 10);
    cb.send({ type: "search", query: q, results: isNaN(total) ? res.total : total, source: source });
  }
  window.carebaseSearch = { state: state, ready: ready, boxes: made };
})();
