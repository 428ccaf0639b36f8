/* carebase Ask box (issue 17): the help centre's own cited answer above the search results,
 * on the home page and the search page, from the service's answer API
 * ({service}/api/v1/answer?source=widget). The question is what the customer typed in the page's
 * search box; it is asked when they settle on it, never on each keystroke, so each ask event
 * is a question somebody meant: on the home page after a 1 s pause in typing; on the search page
 * for the question it opened with and on Enter, through search.js (carebaseSearch.page.gate),
 * which shows that question's results in the same frame as the answer, the answer on top: an
 * answer arriving after the results would push what the customer is reading down (a layout
 * shift of 0.37–0.45 on a phone). While the customer types on the search page, the results
 * follow the keystrokes and the answer waits for Enter.
 * - Only when the search API answers (search.js's probe: carebaseSearch.state.mode "api"):
 *   with the service down or absent, or when the service has no answer ("answered": false), nothing is shown and nothing is logged as an
 *   error. A site opts out with the plugin option `ask: false` (this script is not loaded).
 * - The answer: the cited passage as plain text (the help centre's words, nothing generated),
 *   a link to its source (the section's anchor, or #t= in a video), and how sure it is in words.
 * - "Did this answer your question?": Yes / No send an `outcome` event (resolved / escalated)
 *   through events.js, with the journey the ask event was stored under. Under Do-Not-Track /
 *   Global Privacy Control the service keeps nothing and returns no journey: no question asked.
 * Styles (ask.css) are loaded with the first answer (the search page holds them in the page):
 * nothing render-blocking on a page that never shows one. No framework, no cookies. */
(function () {
  "use strict";
  var search = window.carebaseSearch;
  if (!search || !window.fetch || !window.Promise) return;
  var cfg = {};
  try { cfg = JSON.parse(document.getElementById("carebase-config").textContent) || {}; } catch (e) { cfg = {}; }
  if (cfg.ask === false || !cfg.service) return;
  var service = String(cfg.service).replace(/\/+$/, "");
  var base = new URL(cfg.base || ".", location.href);
  if (!/\/$/.test(base.pathname)) base = new URL(base.href + "/");
  /* the page's language, as search.js asks the API in it (the ask event then carries it); a
   * site whose config still says "api" (false on other languages' pages: search.js does not ask
   * the API there) has an answer API in the default language only */
  var LANG = cfg.lang && !("api" in cfg) ? "&lang=" + encodeURIComponent(cfg.lang) : "";
  var PAUSE = 1000, TIMEOUT = 4000, MIN_CHARS = 3, SURE = 0.6;
  /* a layout change this soon after the customer's key is theirs (CLS's hadRecentInput: 500 ms),
   * with a margin for the frame that draws it */
  var RECENT = 400;
  /* A question has a need in it: two words or more ("remove old thermostat", "wifi keeps
   * dropping"), or a question mark. A bare word ("thermostat", "Rückerstattung") names a topic:
   * its results answer it, and an "answer" to it is a guess (session 40's audit: "thermostat" got
   * *Remove your old thermostat* as "This may answer your question"). So a bare word is not
   * asked: no card, and no ask event logged as a question nobody asked (the service's answer API
   * and assistants are not changed by this). As Google's and the help-centre assistants' answer
   * boxes do, the card is for questions. Words are what whitespace separates; a language written
   * without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese: "如何重置密码") is
   * split into words by the browser's Intl.Segmenter in the page's language (word-like segments),
   * so its questions are asked too. Without Intl.Segmenter (Firefox before 125; session 41 asked
   * such a question only when it ended with "?") the run is split by script and its words
   * estimated: a run of Han characters as one word per two whole characters (most Chinese words
   * are one or two: "恒温器", 3, stays one), each run of katakana (with ー) or hiragana one word, a run of Thai, Lao, Khmer
   * or Burmese one word per twelve characters (a long word stays one: "เทอร์โมสตัท", 11), so
   * "如何重置密码" and "パスワードをリセットするには" are asked and "密码" or "パスワード" are not. theme/partials/carebase/early-search.html holds
   * the same function, character for character (tests/sitesearch/test_sitesearch_ask_rule.py). */
  function question(q,lang){q=String(q||"");if(/[?\uff1f\u061f]\s*$/.test(q))return true;var n=0,S=null;try{S=typeof Intl!=="undefined"&&Intl.Segmenter?new Intl.Segmenter(lang||undefined,{granularity:"word"}):null}catch(e){S=null}q.split(/[\s\u3000]+/).forEach(function(w){if(!/[\p{L}\p{N}]/u.test(w))return;if(!/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u.test(w)){n++;return}if(!S){(w.match(/\p{sc=Han}+|[\p{sc=Katakana}\u30fc]+|\p{sc=Hiragana}+|[\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]+|[\p{L}\p{N}]+/gu)||[]).forEach(function(r){var k=[...r].length;n+=/\p{sc=Han}/u.test(r)?Math.max(1,Math.floor(k/2)):/[\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u.test(r)?Math.ceil(k/12):1});return}for(var s of S.segment(w))if(s.isWordLike&&/[\p{L}\p{N}]/u.test(s.segment))n++});return n>=2}
  /* carebase's texts in the page's language (carebase.strings, in the config); each call names
   * the English text, used when a page has no catalogue */
  var TEXT = cfg.strings || {};
  function T(key, english, values) {
    var v = TEXT[key] != null ? String(TEXT[key]) : english;
    return v.replace(/\{(\w+)\}/g, function (m, k) { return values && k in values ? String(values[k]) : m; });
  }
  var STR = {
    heading: T("search.ask.heading", "Answer from the help centre"),
    sure: T("search.ask.sure", "This should answer your question."),
    maybe: T("search.ask.maybe", "This may answer your question."),
    from: T("search.ask.from", "From"),
    helped: T("search.ask.helped", "Did this answer your question?"),
    yes: T("search.ask.yes", "Yes"),
    no: T("search.ask.no", "No"),
    thanks: T("search.ask.thanks", "Thanks! Glad it helped."),
    sorry: T("search.ask.sorry", "Thanks for telling us. The results below may help, or contact us."),
    shown: T("search.ask.shown", "An answer from the help centre is shown under the search box."),
    asking: T("search.ask.asking", "Looking for an answer to your question…"),
    none: T("search.ask.none", "No direct answer to this in the help centre: see the suggestions, or press Enter for every result.")
  };

  var forms = Array.prototype.slice.call(document.querySelectorAll("form.cb-search"))
    .filter(function (f) { return /^(home|search-page)$/.test(f.getAttribute("data-carebase-search") || ""); });
  if (!forms.length) return;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  /* ask.css: in the search page itself (site-search.html), else added now */
  var styled = null, sheet = false;
  function styles() {
    if (!styled) {
      styled = new Promise(function (resolve) {
        var link = document.querySelector("[data-cb-ask-css]");
        if (link && link.sheet) { sheet = true; return resolve(); }
        if (!link) {
          link = el("link", { rel: "stylesheet", href: new URL("assets/carebase/ask.css", base).href, "data-cb-ask-css": "" });
          document.head.appendChild(link);
        }
        link.addEventListener("load", function () { link.media = "all"; sheet = true; resolve(); });
        link.addEventListener("error", function () { resolve(); });
      });
    }
    return styled;
  }
  function timed(url) {
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, TIMEOUT);
    return fetch(url, { credentials: "omit", mode: "cors", signal: ctl && ctl.signal }).then(function (r) {
      clearTimeout(timer);
      return r.ok ? r.json() : null;
    }, function (err) { clearTimeout(timer); throw err; });
  }
  function clock(seconds) {
    var s = Math.floor(seconds || 0);
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }
  /* a passage's Markdown as plain paragraphs, from a service without the answer's "paragraphs"
   * (the service's own, which also turns a table's rows into sentences, are used when given;
   * either is set with textContent: never HTML) */
  function plain(markdown) {
    return String(markdown || "").split(/\n\s*\n/).map(function (p) {
      return p.replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "").replace(/(\*\*|__|`)/g, "")
        .replace(/(^|\W)[*_]([^*_\n]+)[*_](?=\W|$)/g, "$1$2").replace(/\s+/g, " ").trim();
    }).filter(function (p) { return p; });
  }

  function Ask(form, n) {
    var self = this;
    this.form = form;
    this.n = n;
    this.input = form.querySelector("input[name=q]");
    this.asked = null;
    this.pending = null;
    this.page = form.getAttribute("data-carebase-search") === "search-page";
    this.seq = 0;
    this.timer = null;
    this.card = null;
    this.status = el("p", { class: "cb-visually-hidden", role: "status", "aria-live": "polite" });
    form.parentNode.insertBefore(this.status, form.nextSibling);
    this.room = null;
    this.moved = null;
    this.settle = null;
    this.waiting = false; /* the home page: a question typed, its pause not over yet */
    this.keyAt = 0; /* when the customer's last key changed the box (performance.now()) */
    this.input.addEventListener("input", function () {
      clearTimeout(self.timer);
      if (self.input.value.trim() !== self.asked) self.hide();
      if (!self.page) {
        self.reserve();
        self.waiting = true;
        self.keyAt = performance.now();
        self.timer = setTimeout(function () { self.waiting = false; self.ask(self.input.value); }, PAUSE);
      }
    });
    /* the home page: the styles the answer's room needs, while the customer starts typing. When
     * they or the search API's probe (both asked at the focus) come only after the last key (a
     * slow network or device), no key could reserve the room: it is reserved as soon as both are
     * in, if the last key is still the customer's (a layout change within 0.5 s of their input is
     * theirs: RECENT), so the answer after the pause fills it instead of pushing the topics down
     * (a shift of 0.12 at 1,280 px). Later than that, reserving would itself be a shift nobody
     * caused (the room is taller than most cards: 0.17), so the card takes its place when it comes,
     * as before (one shift, not two). */
    if (!this.page) this.input.addEventListener("focus", function () {
      Promise.all([styles(), search.ready()]).then(function () {
        if (self.waiting && !self.room && performance.now() - self.keyAt < RECENT) self.reserve();
      });
    });
  }
  /* keep: the question whose card early-search.html drew (data-cb-ask-early) stays, until this
   * script's own card for it takes its place (show) */
  Ask.prototype.hide = function (keep) {
    this.seq++;
    this.form.removeAttribute("data-cb-ask-state");
    if (this.card) this.card.remove();
    var early = this.page && document.querySelector("[data-cb-ask-early]");
    if (early && (keep == null || early.getAttribute("data-cb-question") !== keep)) early.remove();
    this.card = null;
    this.asked = null;
    this.pending = null;
  };
  /* The home page: the answer's room, reserved at the keystroke, so that an answer arriving
   * after the 1 s pause and a round trip fills it instead of pushing the topics down (a layout
   * shift within 0.5 s of the customer's input is theirs: CLS does not count it). A room of one
   * height (ask.css, .cb-ask-room) holding "looking for an answer", then the answer, or a note
   * that the help centre has none. Only when the search API answers (no answer is asked otherwise),
   * from MIN_CHARS, once ask.css is in (an unstyled room would change height when it arrives). */
  Ask.prototype.reserve = function () {
    var self = this, q = this.input.value.trim();
    this.unslide(false);
    if (q.length < MIN_CHARS || !question(q, cfg.lang) || search.state.mode !== "api" || !sheet) {
      if (this.room) { this.room.remove(); this.room = null; }
      return;
    }
    if (!this.room) {
      this.room = el("div", { class: "cb-ask-room" });
      this.form.parentNode.insertBefore(this.room, this.status.nextSibling);
    }
    this.room.style.height = "";
    this.fill(this.note(STR.asking, true));
  };
  /* The room's empty part under a short answer (about 150 px of a one-line answer at 1,280 px):
   * what follows the room in the page slides up over it by a transform (a transform moves
   * nothing in the layout: not a layout shift), and at the customer's next key or click the room
   * takes the card's height as the transforms go (a layout change within 0.5 s of their input
   * is theirs; nothing moves on the screen either). Typing again reserves the whole room. */
  Ask.prototype.slide = function () {
    var self = this, room = this.room, card = room && room.firstElementChild;
    this.unslide(false);
    if (!card || this.page) return;
    var slack = Math.floor(room.getBoundingClientRect().height - card.getBoundingClientRect().height);
    if (slack < 1) return;
    var stop = room.closest("article") || document.body, moved = [];
    for (var node = room; node && node !== stop; node = node.parentElement) {
      for (var next = node.nextElementSibling; next; next = next.nextElementSibling) moved.push(next);
    }
    moved.forEach(function (m) { m.classList.add("cb-ask-slide"); m.style.transform = "translateY(" + -slack + "px)"; });
    this.moved = moved;
    this.slack = slack;
    this.settle = function () { self.unslide(true); };
    document.addEventListener("keydown", this.settle, true);
    document.addEventListener("pointerdown", this.settle, true);
  };
  Ask.prototype.unslide = function (fit) {
    if (this.settle) {
      document.removeEventListener("keydown", this.settle, true);
      document.removeEventListener("pointerdown", this.settle, true);
      this.settle = null;
    }
    if (!this.moved) return;
    if (fit && this.room && this.room.isConnected) {
      this.room.style.height = (this.room.getBoundingClientRect().height - this.slack) + "px";
    }
    this.moved.forEach(function (m) { m.classList.remove("cb-ask-slide"); m.style.transform = ""; });
    this.moved = null;
  };
  Ask.prototype.note = function (text, hidden) {
    var card = el("section", hidden ? { class: "cb-ask cb-ask--note", "aria-hidden": "true" } : { class: "cb-ask cb-ask--note" });
    card.appendChild(el("p", { class: "cb-ask__title" }, STR.heading));
    card.appendChild(el("p", { class: "cb-ask__confidence" }, text));
    return card;
  };
  Ask.prototype.fill = function (card) {
    this.room.textContent = "";
    this.room.appendChild(card);
  };
  /* the home page's room when no answer came: a note in it */
  Ask.prototype.empty = function () {
    if (this.room && !this.page) { this.fill(this.note(STR.none)); this.slide(); }
  };
  /* quiet: the search page's opening question, asked at once (not after the probe) through
   * search.js's worker — a service that is down leaves no error in the console */
  Ask.prototype.ask = function (value, quiet) {
    var self = this, q = String(value || "").trim().slice(0, 200);
    if (q === this.asked && this.pending) return this.pending;
    this.hide(q);
    if (q.length < MIN_CHARS || !question(q, cfg.lang)) return Promise.resolve(null);
    this.asked = q;
    var seq = this.seq;
    this.state("asking");
    /* on the search page the styles load while the question is asked (not after the answer:
     * one round trip less before its results, which wait for the answer) */
    var css = this.page ? styles() : null;
    quiet = quiet && search.quietJSON;
    this.pending = (quiet ? Promise.resolve() : search.ready()).then(function () {
      if ((!quiet && search.state.mode !== "api") || seq !== self.seq) return null;
      var cb = window.carebase, journey = cb && !cb.privacy && cb.context ? cb.context().journey : null;
      var url = service + "/api/v1/answer?q=" + encodeURIComponent(q) + "&limit=1&source=widget" +
        (journey ? "&journey=" + encodeURIComponent(journey) : "") + LANG;
      return (quiet ? search.quietJSON(url, TIMEOUT) : timed(url)).then(function (answer) {
        if (!answer || !answer.answered || !(answer.citations || []).length || seq !== self.seq) return null;
        return (css || styles()).then(function () { if (seq === self.seq) self.show(q, answer); return answer; });
      }, function () { return null; }); /* the service did not answer: nothing shown */
    }).then(function (answer) {
      if (seq === self.seq && !(answer && self.card)) {
        var early = document.querySelector("[data-cb-ask-early]");
        if (early) early.remove(); /* not this script's answer: not shown */
        self.empty();
      }
      if (seq === self.seq) self.state(answer && self.card ? "shown" : "none");
      return answer;
    });
    return this.pending;
  };
  /* data-cb-ask-state on the form: asking | shown | none (no answer, or no service) */
  Ask.prototype.state = function (value) { this.form.setAttribute("data-cb-ask-state", value); };
  Ask.prototype.show = function (q, answer) {
    var self = this, c = answer.citations[0], id = "cb-ask-" + this.n;
    var href;
    try { href = new URL(c.url, base); } catch (e) { return; }
    if (!/^https?:$/.test(href.protocol)) return;
    var card = el("section", { class: "cb-ask", "aria-labelledby": id + "-title", "data-cb-ask": "",
                               "data-carebase-item": c.id, "data-cb-question": q });
    card.appendChild(el("h2", { class: "cb-ask__title", id: id + "-title" }, STR.heading));
    card.appendChild(el("p", { class: "cb-ask__confidence" }, answer.confidence >= SURE ? STR.sure : STR.maybe));
    var quote = el("blockquote", { class: "cb-ask__passage", cite: href.href });
    (Array.isArray(c.paragraphs) ? c.paragraphs : plain(c.passage)).forEach(function (p) { quote.appendChild(el("p", {}, String(p))); });
    card.appendChild(quote);
    var source = el("p", { class: "cb-ask__source" });
    source.appendChild(document.createTextNode(STR.from + " "));
    var where = c.title + (c.heading && c.heading !== c.title ? " › " + c.heading : "");
    if (typeof c.start === "number") where += " (" + T("search.ask.watch", "watch from {time}", { time: clock(c.start) }) + ")";
    var link = el("a", { class: "cb-ask__link", href: href.href }, where);
    source.appendChild(link);
    card.appendChild(source);
    if (answer.journey) card.appendChild(this.helped(c, id));
    this.card = card;
    /* on the search page: on top of its results (shown with them, search.js); on the home
     * page: under the box */
    var holder = this.page && search.page && search.page.holder;
    var early = holder && holder.querySelector("[data-cb-ask-early]");
    if (early) early.replaceWith(card); /* the same card drawn before this script ran: nothing moves */
    else if (holder) holder.insertBefore(card, holder.firstChild);
    else if (this.room) { this.fill(card); this.slide(); }
    else this.form.parentNode.insertBefore(card, this.status.nextSibling);
    this.status.textContent = "";
    setTimeout(function () { if (self.card === card) self.status.textContent = STR.shown; }, 50);
  };
  Ask.prototype.helped = function (c, id) {
    var group = el("div", { class: "cb-ask__helped", role: "group", "aria-labelledby": id + "-helped" });
    group.appendChild(el("span", { class: "cb-ask__question", id: id + "-helped" }, STR.helped));
    var buttons = el("span", { class: "cb-ask__buttons" });
    group.appendChild(buttons);
    [["resolved", STR.yes], ["escalated", STR.no]].forEach(function (o) {
      var b = el("button", { type: "button", class: "cb-ask__button md-button", "data-cb-outcome": o[0] }, o[1]);
      b.addEventListener("click", function () {
        var cb = window.carebase;
        if (cb) cb.send({ type: "outcome", outcome: o[0], item: c.id, source: "widget" });
        var done = el("p", { class: "cb-ask__thanks", tabindex: "-1", role: "status" },
                      o[0] === "resolved" ? STR.thanks : STR.sorry);
        group.replaceWith(done);
        done.focus();
      });
      buttons.appendChild(b);
    });
    return group;
  };

  var asks = forms.map(function (f, i) { return new Ask(f, i + 1); });
  /* the search page: search.js asks (the question the page opened with, Enter) and shows that
   * question's results once the answer is settled (shown, none, or the 4 s timeout) */
  var page = asks.filter(function (a) { return a.page; })[0];
  if (page && search.page && search.page.form === page.form) {
    search.page.gate = function (value) { return page.ask(value); };
    /* the question the page opened with: asked once the deferred scripts have run (events.js,
     * after this one, gives the journey), before search.js fills the box and before the probe
     * answers (search.js asks it itself, after the probe, if this has not) */
    var landing = window.__carebaseQuery;
    if (landing && landing.q) {
      var opening = function () { page.ask(landing.q, true); };
      /* (on a search page the theme's loader may start the scripts after "load": there
       * events.js, after this one, has not run yet, and the loader calls this page's
       * DOMContentLoaded listeners once all of them have run) */
      if (window.carebase || (document.readyState === "complete" && !document.querySelector("script[data-cb-later]"))) opening();
      else document.addEventListener("DOMContentLoaded", opening);
    }
  }
  window.carebaseAsk = { asks: asks };
})();
