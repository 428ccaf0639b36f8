/* carebase: what Material's bundle does on a help centre's page, for the pages that load no
 * bundle (plugins/site/material.py decides; theme main.html). The bundle (~35 KB gzip) is one
 * task of ~60 ms on a fast machine, four times that on Lighthouse's simulated phone; this file
 * does, in a few small tasks, what carebase's pages use of it, as Material does it:
 * - <html> class "js" instead of "no-js" (Material's style sheet reads it);
 * - tables in Material's scrolling box (.md-typeset__scrollwrap > .md-typeset__table);
 * - the palette toggle: the theme-color and color-scheme <meta> (the browser's bar, form
 *   controls and scroll bars in the page's colours), transitions off while the colours switch,
 *   Enter on the toggle switches it (header.html's script applies and stores the choice);
 * - the header's shadow once the page scrolls under it, its title swapped for the page's
 *   once the page's heading has scrolled under it; the back-to-top button (navigation.top)
 *   shown while the customer scrolls up past the page's start, out of the tab order when hidden;
 * - a link to something inside a closed <details> opens it; printing opens every <details>
 *   and closes them again after; a link in the page closes the menu drawer;
 * - Enter on a focused label clicks it (the drawer's sections); p / , and n / . go to the
 *   previous / next page where the page names one (<link rel=prev/next>);
 * - a title on truncated (ellipsised) header and menu text; Apple's scroll fix for the drawer.
 * window.__carebaseMaterial becomes "started" once this has started (tests wait for it;
 * on a search page the theme's loader says so once all of its scripts ran).
 */
(function () {
  "use strict";

  var d = document, root = d.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function one(selector, el) { return (el || d).querySelector(selector); }
  function all(selector, el) { return [].slice.call((el || d).querySelectorAll(selector)); }

  /* ---- content: tables, details ----------------------------------------------------- */
  function wrapTables() {
    all("[data-md-component=content]").forEach(function (content) {
      all("table:not([class])", content).forEach(function (table) {
        var wrap = d.createElement("div"), box = d.createElement("div");
        wrap.className = "md-typeset__scrollwrap";
        box.className = "md-typeset__table";
        table.replaceWith(wrap);
        wrap.appendChild(box);
        box.appendChild(table);
      });
    });
  }

  function target() {
    var id = location.hash.slice(1), el = null;
    if (!id) return null;
    try { el = d.getElementById(decodeURIComponent(id)); } catch (e) { /* a malformed hash */ }
    return el || d.getElementById(id);
  }

  function openTarget() {
    var el = target(), details = el && el.closest("details:not([open])");
    if (details && details.closest("[data-md-component=content]")) {
      details.open = true;
      details.scrollIntoView();
    }
  }

  var printed = [];
  function beforePrint() {
    printed = all("[data-md-component=content] details:not([open])");
    printed.forEach(function (el) { el.open = true; });
  }
  function afterPrint() {
    printed.forEach(function (el) { el.open = false; });
    printed = [];
  }

  /* ---- palette ---------------------------------------------------------------------- */
  function palette(header) {
    var form = one("form[data-md-component=palette]");
    if (!form || !header) return;
    var inputs = all("input", form);
    var theme = d.createElement("meta"), scheme = d.createElement("meta");
    theme.name = "theme-color";
    scheme.name = "color-scheme";
    d.head.appendChild(theme);
    d.head.appendChild(scheme);
    function metas() {
      var style = getComputedStyle(header), rgb = style.backgroundColor.match(/\d+/g) || [];
      scheme.content = style.colorScheme;
      theme.content = "#" + rgb.map(function (v) { return (+v).toString(16).padStart(2, "0"); }).join("");
    }
    // read once a frame has been drawn: the styles are then up to date, and reading them costs
    // nothing (read while a script's changes wait to be drawn, they are computed in this task:
    // 20-30 ms under load on the video page)
    requestAnimationFrame(function () { setTimeout(metas, 0); });
    // header.html's listener (on the form, bubbling) sets the colours; transitions stay off meanwhile
    form.addEventListener("change", function () { d.body.setAttribute("data-md-color-switching", ""); }, true);
    form.addEventListener("change", function () {
      metas();
      setTimeout(function () { d.body.removeAttribute("data-md-color-switching"); }, 0);
    });
    form.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      var index = inputs.findIndex(function (input) {
        var label = input.nextElementSibling;
        return label && label.tagName === "LABEL" && !label.hidden;
      });
      var next = inputs[(Math.max(0, index) + 1) % inputs.length];
      next.click();
      next.focus();
    });
  }

  /* ---- header, back-to-top: what the scroll position decides ------------------------ */
  function scrolling(header) {
    var main = one("[data-md-component=main]"), title = one("[data-md-component=header-title]");
    var heading = one(".md-content h1"), top = one("[data-md-component=top]");
    var lastY = null, queued = false, hideUntil = 0;
    if (!header) return function () {};
    if (top) {
      if (top.hidden) top.setAttribute("tabindex", "-1");
      top.addEventListener("click", function (ev) {
        ev.preventDefault();
        window.scrollTo({ top: 0 });
      });
    }
    function update() {
      queued = false;
      var y = window.pageYOffset, height = header.offsetHeight;
      var active = !!main && main.offsetTop - height <= y;
      header.classList.toggle("md-header--shadow", active);
      if (title && heading) {
        var box = heading.getBoundingClientRect();
        title.classList.toggle("md-header__title--active", box.height > 0 && height - box.top >= box.height);
      }
      if (top) {
        var hidden = !(active && lastY !== null && lastY > y && y > 0) || Date.now() < hideUntil;
        top.style.top = height + 16 + "px";
        if (top.hidden !== hidden) {
          top.hidden = hidden;
          if (hidden) {
            top.setAttribute("tabindex", "-1");
            top.blur();
          } else {
            top.removeAttribute("tabindex");
          }
        }
      }
      lastY = y;
    }
    function queue() {
      if (queued) return;
      queued = true;
      requestAnimationFrame(update);
    }
    addEventListener("scroll", queue, { passive: true });
    addEventListener("resize", queue, { passive: true });
    // a link in the page: the button hides (and stays hidden for 250 ms), as Material's does
    return function () { hideUntil = Date.now() + 250; lastY = null; queue(); };
  }

  /* ---- drawer, keyboard, small patches ---------------------------------------------- */
  function closeDrawer() {
    setTimeout(function () {
      var drawer = one("[data-md-toggle=drawer]");
      if (drawer && drawer.checked) drawer.click();
    }, 125);
  }

  function typing(el) {
    if (!el) return false;
    if (el.tagName === "INPUT") return el.type !== "radio";
    return el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.isContentEditable;
  }

  function keys(ev) {
    if (ev.metaKey || ev.ctrlKey || ev.defaultPrevented || typing(d.activeElement)) return;
    var link = null;
    if (ev.key === "p" || ev.key === ",") link = one("link[rel=prev]");
    else if (ev.key === "n" || ev.key === ".") link = one("link[rel=next]");
    if (link) location.href = link.href;
    else if (ev.key === "Enter" && d.activeElement && d.activeElement.tagName === "LABEL") d.activeElement.click();
  }

  function ellipsis(ev) {
    var el = ev.target.closest && ev.target.closest(".md-ellipsis");
    if (!el || el.hasAttribute("data-cb-measured")) return;
    el.setAttribute("data-cb-measured", "");
    if (el.offsetWidth < el.scrollWidth) (el.closest("a") || el).title = el.innerText;
  }

  function patches() {
    var tablet = matchMedia("(min-width: 60em)");
    all(".md-toggle--indeterminate").forEach(function (el) {
      el.indeterminate = true;
      el.checked = false;
      el.addEventListener("change", function () {
        if (!el.classList.contains("md-toggle--indeterminate")) return;
        el.classList.remove("md-toggle--indeterminate");
        if (tablet.matches) el.checked = false;
      });
    });
    all("[data-md-scrollfix]").forEach(function (el) {
      el.removeAttribute("data-md-scrollfix");
      if (!/(iPad|iPhone|iPod)/.test(navigator.userAgent)) return;
      el.addEventListener("touchstart", function () {
        var y = el.scrollTop;
        if (y === 0) el.scrollTop = 1;
        else if (y + el.offsetHeight === el.scrollHeight) el.scrollTop = y - 1;
      }, { passive: true });
    });
  }

  function start() {
    var header = one("[data-md-component=header]");
    wrapTables();
    patches();
    var moved = scrolling(header);
    addEventListener("hashchange", function () { openTarget(); closeDrawer(); moved(); });
    addEventListener("popstate", closeDrawer);
    addEventListener("beforeprint", beforePrint);
    addEventListener("afterprint", afterPrint);
    addEventListener("keydown", keys);
    d.addEventListener("pointerover", ellipsis, { passive: true });
    d.addEventListener("focusin", ellipsis);
    openTarget();
    // nothing here reads the layout or the styles before the page is idle: a read makes the
    // browser compute them at once, in this task, and a long task after the first paint is
    // what this file replaces. At the top of the page the header's state is the template's
    // (its shadow on, the site's name, the button hidden); a page opened scrolled (a link to a
    // heading, a reload) gets a scroll event, and with it the state.
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
    idle(function () { palette(header); }, { timeout: 2000 });
    if (!one("script[data-cb-later]")) window.__carebaseMaterial = "started";
  }

  // a deferred script runs once the page is parsed; on a search page the theme's loader runs it
  // later (material-bundle.html), and says "started" once all of its scripts ran
  start();
})();
