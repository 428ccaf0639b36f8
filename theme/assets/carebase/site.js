/* carebase site behaviour (no framework, no third-party request):
 * - FAQ: open the question named by the URL hash (on load and on hash change),
 *   "expand all / collapse all".
 * - Video: hosted players are a facade until the customer presses play; only then is the
 *   youtube-nocookie.com / player.vimeo.com iframe injected. Chapter and transcript links
 *   (#t=N) seek: a self-hosted <video> jumps at once; a hosted one starts there. A page
 *   opened at #t=N shows the player on the screen, at that time.
 */
(function () {
  "use strict";

  function idFromHash() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; }
  }

  /* ---- FAQ ------------------------------------------------------------------------ */
  function openFaqFromHash() {
    var id = idFromHash();
    if (!id) return;
    var el = document.getElementById(id);
    if (el && el.tagName === "DETAILS" && el.classList.contains("cb-faq")) {
      el.open = true;
      el.scrollIntoView({ block: "start" });
      var summary = el.querySelector("summary");
      if (summary) summary.focus({ preventScroll: true });
    }
  }

  function setupFaqControls() {
    document.querySelectorAll(".cb-faq__controls").forEach(function (bar) {
      bar.hidden = false;
      bar.addEventListener("click", function (ev) {
        var button = ev.target.closest("[data-cb-faq-toggle]");
        if (!button) return;
        var open = button.getAttribute("data-cb-faq-toggle") === "open";
        document.querySelectorAll("details.cb-faq").forEach(function (d) { d.open = open; });
      });
    });
  }

  function reducedMotion() {
    return !!(window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  /* ---- Video ---------------------------------------------------------------------- */
  function player() { return document.querySelector("[data-cb-player]"); }

  function embedSrc(box, start) {
    var url = box.getAttribute("data-embed");
    var provider = box.getAttribute("data-provider");
    start = Math.max(0, Math.floor(start || 0));
    if (provider === "youtube") {
      return url + (url.indexOf("?") < 0 ? "?" : "&") + "autoplay=1&rel=0" + (start ? "&start=" + start : "");
    }
    if (provider === "vimeo") {
      return url.split("#")[0] + (url.indexOf("?") < 0 ? "?" : "&") + "autoplay=1" + (start ? "#t=" + start + "s" : "");
    }
    return url;
  }

  function loadEmbed(box, start) {
    var frame = document.createElement("iframe");
    frame.src = embedSrc(box, start);
    frame.title = box.getAttribute("data-title") || "Video";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.className = "cb-player__frame";
    var facade = box.querySelector(".cb-player__facade");
    if (facade) facade.replaceWith(frame); else box.appendChild(frame);
    var note = box.querySelector(".cb-player__note");
    if (note) note.remove();
    box.setAttribute("data-started", String(start || 0));
    frame.focus();
  }

  function seek(start, userAsked) {
    var box = player();
    if (!box) return false;
    var video = box.querySelector("video");
    if (video) {
      var go = function () {
        video.currentTime = start;
        if (userAsked) { var p = video.play(); if (p && p.catch) p.catch(function () {}); }
      };
      if (video.readyState >= 1) go();
      else {
        // preload=none (a poster): the seek waits for the video's metadata, which play() fetches
        video.addEventListener("loadedmetadata", go, { once: true });
        if (userAsked) { var q = video.play(); if (q && q.catch) q.catch(function () {}); }
      }
      box.setAttribute("data-seek", String(start));
      return true;
    }
    var frame = box.querySelector("iframe");
    if (frame) { frame.src = embedSrc(box, start); return true; }
    // Hosted video not started: remember the start; contact the host only when asked.
    box.setAttribute("data-start", String(start));
    if (userAsked) loadEmbed(box, start);
    return true;
  }

  function timeFromHash() {
    var m = /^t=(\d+)$/.exec(idFromHash());
    return m ? parseInt(m[1], 10) : null;
  }

  function setupVideo() {
    var box = player();
    if (!box) return;
    var facade = box.querySelector(".cb-player__facade");
    if (facade) {
      facade.addEventListener("click", function () {
        loadEmbed(box, parseInt(box.getAttribute("data-start") || "0", 10));
      });
    }
    document.addEventListener("click", function (ev) {
      var link = ev.target.closest && ev.target.closest("a[data-cb-seek]");
      if (!link) return;
      ev.preventDefault();
      var start = parseInt(link.getAttribute("data-cb-seek"), 10);
      history.replaceState(null, "", "#t=" + start);
      seek(start, true);
      box.scrollIntoView({ block: "nearest", behavior: reducedMotion() ? "auto" : "smooth" });
    });
    var t = timeFromHash();
    if (t !== null) {
      seek(t, false);
      openedAt(box);
    }
  }

  /* The page opened at a time (a chapter of the search results, a shared #t= link): the browser
   * scrolled to the transcript's section of that id, the player out of view and at 0:00 until
   * played (session 46's audit). The player comes into view instead, a self-hosted one reading
   * its metadata (preload=none reads nothing) so that it shows the time it will play from; a
   * hosted one stays a facade (nothing is asked of the host before play). */
  function openedAt(box) {
    var video = box.querySelector("video");
    if (video && video.readyState < 1 && video.preload === "none") {
      video.preload = "metadata";
      video.load();
    }
    var show = function () { box.scrollIntoView({ block: "center" }); };
    show();
    // the browser scrolls to the fragment's element again once the page has loaded
    if (document.readyState !== "complete") window.addEventListener("load", function () { setTimeout(show, 0); }, { once: true });
  }

  function onHash() {
    openFaqFromHash();
    var t = timeFromHash();
    if (t !== null) seek(t, false);
  }

  /* ---- Search forms: keep the query visible in the page's own box (?q=…) ------------- */
  function prefillSearch() {
    var q = new URLSearchParams(location.search).get("q");
    if (!q) return;
    document.querySelectorAll("form.cb-search input[name=q]").forEach(function (input) {
      if (!input.value) input.value = q;
    });
  }

  /* ---- Material's chrome: names for the search dialog and its landmarks (axe-core) -- */
  function nameMaterialSearch() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    var form = document.querySelector(".md-search__form");
    if (form && !form.getAttribute("aria-label")) form.setAttribute("aria-label", "Search this site");
    var results = document.querySelector("[data-md-component=search-result]");
    if (results && window.MutationObserver) {
      // each result's kind tags come in a <nav>: not a landmark of their own
      new MutationObserver(function () {
        results.querySelectorAll("nav.md-tags:not([role])").forEach(function (n) { n.setAttribute("role", "none"); });
      }).observe(results, { childList: true, subtree: true });
    }
  }

  /* ---- the menu drawer of small screens from the keyboard ----------------------------- */
  /* Material's menu button is a <label> for a hidden checkbox: no tab stop, so a keyboard could
   * not open the menu (session 46's audit). With JavaScript it becomes a real <button> (the
   * label stays, hidden, for a page without it) that says whether the menu is open: Enter or
   * Space opens the menu and moves the focus into it, Escape closes it and gives the focus back,
   * and so does leaving it (the menu covers the page). site.css keeps the closed menu's links
   * out of the tab order and the button off wide screens, as Material does the label. */
  function setupMenu() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector("label.md-header__button[for=__drawer]");
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !label || !drawer) return;
    var nav = drawer.querySelector("nav[aria-label]");
    if (!drawer.id) drawer.id = "cb-drawer";
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " cb-menu-button";
    button.innerHTML = label.innerHTML;
    button.setAttribute("aria-controls", drawer.id);
    button.setAttribute("aria-label", nav ? nav.getAttribute("aria-label") : "Menu");
    label.parentNode.insertBefore(button, label);
    label.hidden = true;
    function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
    function close(refocus) {
      if (toggle.checked) toggle.click();
      if (refocus) button.focus();
    }
    sync();
    toggle.addEventListener("change", function () {
      sync();
      // closed with the focus inside (the overlay clicked, a link in the page): back to the button
      if (!toggle.checked && drawer.contains(document.activeElement)) button.focus();
    });
    button.addEventListener("click", function (ev) {
      toggle.click();
      // opened from the keyboard (a click event with no pointer: detail 0): the focus goes in
      if (!toggle.checked || ev.detail !== 0) return;
      var first = drawer.querySelector("a[href], button, input:not([type=hidden])");
      if (first) first.focus();
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && toggle.checked) close(drawer.contains(document.activeElement) || document.activeElement === button);
    });
    document.addEventListener("focusin", function (ev) {
      if (toggle.checked && !drawer.contains(ev.target) && ev.target !== button) close(false);
    });
  }

  /* ---- Language switcher ------------------------------------------------------------ */
  /* The same page in another language keeps the address's query: "Deutsch" from
   * search/?q=refund opens de/search/?q=refund, the search still made (its box is filled from
   * ?q=). Read at the click, in the capture phase: the search page writes the box into the
   * address as the customer types, and Material's own handlers read the link after this. */
  function keepQueryOnLanguageSwitch() {
    document.addEventListener("click", function (ev) {
      var link = ev.target.closest && ev.target.closest("a[data-cb-language]");
      if (!link || link.getAttribute("aria-current") === "true") return;
      if (!link.dataset.cbPage) link.dataset.cbPage = link.href;  // the page as the site wrote it
      var to = new URL(link.dataset.cbPage, location.href);
      if (to.origin !== location.origin || to.search) return;
      to.search = location.search;
      link.href = to.href;
    }, true);
  }

  function init() {
    keepQueryOnLanguageSwitch();
    setupMenu();
    nameMaterialSearch();
    prefillSearch();
    setupFaqControls();
    openFaqFromHash();
    setupVideo();
  }

  window.addEventListener("hashchange", onHash);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
