/* carebase feedback widget: enhances the server-rendered form (carebase.widget.markup)
 * in place. Yes -> thanks; No (or a low rating) -> reasons, comment, contact links, then
 * send; "Change your answer" -> the latest vote wins (a random vote_key per item kept in
 * localStorage; none under Do-Not-Track / Global Privacy Control). Without this script
 * the same form posts to the service and comes back to #cb-thanks-<item>. */
(function () {
  "use strict";
  var VOTES = "carebase.votes";
  /* the page language's texts (carebase.strings, in the config); English when it has none */
  var own = {};
  try { own = JSON.parse(document.getElementById("carebase-config").textContent).strings || {}; } catch (e) { own = {}; }
  function T(key, english, values) {
    return String(own[key] != null ? own[key] : english).replace(/\{(\w+)\}/g, function (m, k) {
      return values && k in values ? String(values[k]) : m;
    });
  }
  var TEXT = {
    sending: T("widget.sending", "Sending your feedback…"),
    thanks: T("widget.thanks", "Thanks for your feedback!"),
    thanksNegative: T("widget.thanks_negative", "Thanks for telling us. We'll use it to improve this page."),
    queued: T("widget.queued", "You're offline. Your feedback is saved and will be sent when you're back online."),
    error: T("widget.error", "Sorry, we couldn't record your feedback. Please try again later."),
    reasons: T("widget.reasons_prompt", "Sorry about that. Tell us what went wrong, then press Send."),
    choose: T("widget.choose", "Please choose a rating first."),
    change: T("widget.change_prompt", "Choose a new answer.")
  };

  function votes() { try { return JSON.parse(localStorage.getItem(VOTES)) || {}; } catch (e) { return {}; } }
  function remember(item, vote) {
    try { var all = votes(); all[item] = vote; localStorage.setItem(VOTES, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }
  function remembered(value, scale, max) {
    if (scale === "helpful") return value ? T("widget.said_yes", "You said this was helpful. ") : T("widget.said_no", "You said this didn't help. ");
    return T("widget.rated", "You rated this {value} out of {max}. ", { value: value, max: max });
  }

  function init(root) {
    if (root.getAttribute("data-cb-ready") || !window.carebase) return;
    root.setAttribute("data-cb-ready", "1");
    var cb = window.carebase;
    var item = root.getAttribute("data-cb-item"), scale = root.getAttribute("data-cb-scale");
    var max = parseInt(root.getAttribute("data-cb-max"), 10);
    var form = root.querySelector("form"), more = root.querySelector(".cb-feedback__more");
    var status = root.querySelector(".cb-feedback__status"), done = root.querySelector(".cb-feedback__done");
    var change = root.querySelector("[data-cb-change]"), thanksTarget = root.querySelector(".cb-feedback__nojs-thanks");
    var pendingNo = false;
    form.elements.return_to.value = location.href.split("#")[0];
    form.noValidate = true; /* the widget says "choose a rating" itself, in its live region */

    function negative(value) { return scale === "helpful" ? value === 0 : value <= (scale === "csat" ? 3 : 4); }
    function state(name, message, isNegative) {
      root.setAttribute("data-cb-state", name);
      root.setAttribute("data-cb-negative", isNegative ? "true" : "false");
      form.hidden = name === "thanks" || name === "sending";
      done.hidden = name !== "thanks";
      if (more) {
        more.hidden = name !== "reasons";
        if (name === "reasons") more.open = true;
      }
      status.className = "cb-feedback__status" + (name === "error" ? " cb-feedback__status--error" : "");
      status.textContent = message || "";
    }
    function pressed(value) {
      Array.prototype.forEach.call(root.querySelectorAll("button[data-cb-vote]"), function (b) {
        b.setAttribute("aria-pressed", String(value !== null && b.value === String(value)));
      });
    }
    function field(name) {
      var el = form.elements[name];
      if (!el) return "";
      return String(el.value || "").trim();
    }
    function vote(value) {
      pendingNo = false;
      if (field("website")) { state("thanks", TEXT.thanks, false); return; } /* a bot filled the trap */
      var old = votes()[item] || {};
      var key = cb.privacy ? null : old.key || cb.randomId();
      var event = { type: "vote", item: item, value: value, scale: scale, source: "widget" };
      var revision = field("revision");
      if (revision) event.revision = revision;
      if (negative(value)) {
        var reason = field("reason"), comment = field("comment");
        if (reason) event.reason = reason.slice(0, 200);
        if (comment) event.comment = comment.slice(0, 2000);
      }
      if (key) event.vote_key = key;
      remember(item, { value: value, key: key || undefined, ts: Date.now() });
      pressed(value);
      state("sending", TEXT.sending, negative(value));
      return cb.send(event).then(function (outcome) {
        if (outcome === "rejected") { state("error", TEXT.error, false); focusFirst(); return; }
        var message = outcome === "queued" ? TEXT.queued : negative(value) ? TEXT.thanksNegative : TEXT.thanks;
        state("thanks", message, negative(value));
        change.focus();
      });
    }
    function focusFirst() {
      var first = root.querySelector(".cb-feedback__vote button, .cb-feedback__vote input:checked, .cb-feedback__vote input");
      if (first) first.focus();
    }
    function openReasons() {
      pendingNo = scale === "helpful";
      state("reasons", TEXT.reasons, true);
      var first = more && more.querySelector("input[name=reason], textarea");
      if (first && scale === "helpful") first.focus();
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var by = e.submitter;
      if (scale === "helpful") {
        var value = by && by.value === "1" ? 1 : 0;
        if (value === 0 && by && by.hasAttribute("data-cb-vote") && more) { pressed(0); openReasons(); return; }
        vote(value);
        return;
      }
      var checked = form.querySelector("input[name=value]:checked");
      if (!checked) { state("error", TEXT.choose, false); focusFirst(); return; }
      vote(parseInt(checked.value, 10));
    });
    form.addEventListener("change", function (e) {
      if (scale === "helpful" || e.target.name !== "value") return;
      var value = parseInt(e.target.value, 10);
      if (negative(value) && more) state("reasons", "", true);
      else state("idle", "", false);
    });
    change.addEventListener("click", function () {
      var old = votes()[item];
      state("idle", TEXT.change, false);
      if (old && scale !== "helpful") {
        var radio = form.querySelector('input[name=value][value="' + old.value + '"]');
        if (radio) radio.checked = true;
      }
      focusFirst();
    });
    /* "No" chosen but the page closes before Send: the No itself still counts. */
    function leaving() { if (pendingNo && document.visibilityState === "hidden") vote(0); }
    document.addEventListener("visibilitychange", leaving);

    var old = votes()[item];
    if (thanksTarget && location.hash === "#" + thanksTarget.id) {
      state("thanks", TEXT.thanks, false);
    } else if (old && typeof old.value === "number") {
      pressed(old.value);
      state("thanks", remembered(old.value, scale, max) + (negative(old.value) ? TEXT.thanksNegative : TEXT.thanks), negative(old.value));
    } else {
      state("idle", "", false);
    }
  }

  function initAll() { Array.prototype.forEach.call(document.querySelectorAll(".cb-feedback"), init); }
  /* Material's instant navigation swaps pages through document$; its bundle may be deferred
   * after this script, so it is looked for once the document is parsed */
  function start() {
    initAll();
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(initAll);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
