/* carebase serve: the content's problems over the page the writer has open.
 *
 * Served by the preview server only (carebase/cli/_watching.py), never part of a built site.
 * It asks /.carebase/problems.json for the problems of the last build (errors, each with the
 * warnings on its line and the errors that follow from it; with --strict all warnings), in the
 * order the board lists them (carebase/cli/_preview_board.py), then asks again with ?after=<version>, which the server holds until the next
 * build is over; each answer redraws the banner, and an answer without problems takes it away.
 * Everything the content says is set as text, never as HTML. The banner lives in a shadow
 * root, so the site's style sheets do not reach it and its own do not reach the site. */
(function () {
  "use strict";
  if (window.__carebaseProblems) return;
  window.__carebaseProblems = true;

  var ENDPOINT = "/.carebase/problems.json";
  var host = null;
  // What the banner says, as a key: the board is answered again after every build and every
  // 25 s with nothing new; the same problems are not drawn again (a new role="alert" is announced
  // again by screen readers: reader 46, R4), and "Hide" lasts until they change (R5), across
  // reloads of the page too (a save rendered in place reloads it): the hidden key is kept in the
  // tab's sessionStorage, so it ends with the tab, and a browser that refuses storage hides for
  // the page's life only.
  var HIDDEN = "carebase-preview-hidden";
  var hiddenKey = remembered(); // the problems the writer hid; others show again
  var drawnKey = null; // the problems drawn
  function keyOf(board) {
    return JSON.stringify([board.state, board.strict, board.total, board.problems]);
  }
  function remembered() {
    try { return window.sessionStorage.getItem(HIDDEN); } catch (e) { return null; }
  }
  function remember(key) {
    hiddenKey = key;
    try {
      if (key === null) window.sessionStorage.removeItem(HIDDEN);
      else window.sessionStorage.setItem(HIDDEN, key);
    } catch (e) { /* storage off or full: hidden until this page goes */ }
  }

  var STYLE = [
    ":host { all: initial; display: block; position: fixed; z-index: 2147483647; top: 0; left: 0; right: 0; }",
    ".box { max-height: 60vh; overflow: auto;",
    "  box-sizing: border-box; padding: 14px 18px 16px; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif;",
    "  color: #1f1f1f; background: #fff5f5; border-bottom: 4px solid #c62828; box-shadow: 0 6px 24px rgba(0,0,0,.25); }",
    ".box.warning { background: #fffbea; border-bottom-color: #b26a00; }",
    ".head { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }",
    "h2 { margin: 0; font-size: 16px; color: #b71c1c; }",
    ".warning h2 { color: #8a5200; }",
    ".state { flex: 1 1 320px; margin: 0; }",
    "button { font: inherit; padding: 4px 12px; border: 1px solid #777; border-radius: 4px; background: #fff; color: #1f1f1f; cursor: pointer; }",
    "button:focus-visible { outline: 3px solid #1565c0; outline-offset: 2px; }",
    "ol { margin: 10px 0 0; padding: 0; list-style: none; }",
    "li { margin: 0 0 12px; padding: 10px 12px; background: #fff; border: 1px solid #e0c4c4; border-radius: 6px; }",
    ".where { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 600; word-break: break-all; }",
    ".field { color: #6a1b9a; }",
    ".sev { display: inline-block; margin-right: 6px; padding: 0 6px; border-radius: 3px; font-size: 12px; font-family: system-ui, sans-serif;",
    "  color: #fff; background: #c62828; vertical-align: 1px; }",
    ".sev.warning { background: #8a5200; }",
    ".message { margin: 4px 0 0; }",
    "pre { margin: 8px 0 0; padding: 6px 0; overflow-x: auto; background: #272822; color: #f8f8f2; border-radius: 4px;",
    "  font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }",
    "pre span { display: block; padding: 0 10px; white-space: pre; }",
    "pre span.at { background: #6b1d1d; }",
    ".todo { margin: 8px 0 0; font-weight: 600; }",
    "@media (prefers-color-scheme: dark) {",
    "  .box { color: #f1f1f1; background: #2b1a1a; }",
    "  .box.warning { background: #2b2514; }",
    "  h2 { color: #ff8a80; } .warning h2 { color: #ffcc80; }",
    "  li { background: #1e1e1e; border-color: #5d3a3a; }",
    "  .field { color: #ce93d8; }",
    "  button { background: #1e1e1e; color: #f1f1f1; border-color: #aaa; }",
    "}"
  ].join("\n");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function heading(board) {
    var errors = 0, warnings = 0;
    board.problems.forEach(function (p) { if (p.severity === "error") errors += 1; else warnings += 1; });
    var parts = [];
    if (errors) parts.push(plural(errors, "error"));
    if (warnings) parts.push(plural(warnings, "warning"));
    var more = board.total > board.problems.length ? " (the first " + board.problems.length + " of " + board.total + ")" : "";
    return { text: "carebase serve: " + parts.join(", ") + more, warning: !errors };
  }

  function stateText(board) {
    if (board.state === "kept") {
      return "This change was not applied: the preview still shows the site from before it.";
    }
    if (board.state === "failed") {
      return board.strict ? "The build failed (carebase serve --strict: warnings fail it, as in CI)."
                          : "The build stopped: this preview may be incomplete.";
    }
    return "The items with errors are left out of the preview, as carebase build leaves them out of the site.";
  }

  function problemItem(p) {
    var li = el("li");
    var where = el("p", "where");
    where.appendChild(el("span", "sev " + p.severity, p.severity));
    var place = p.file ? p.file + (p.line ? ":" + p.line : "") : "";
    if (place) where.appendChild(document.createTextNode(place + (p.field ? ": " : "")));
    if (p.field) where.appendChild(el("span", "field", p.field));
    li.appendChild(where);
    li.appendChild(el("p", "message", p.message));
    if (p.excerpt && p.excerpt.length) {
      var pre = el("pre");
      var width = String(p.excerpt[p.excerpt.length - 1][0]).length;
      p.excerpt.forEach(function (row) {
        var n = String(row[0]);
        while (n.length < width) n = " " + n;
        var mark = row[0] === p.line ? "> " : "  ";
        pre.appendChild(el("span", row[0] === p.line ? "at" : "", mark + n + " | " + row[1]));
      });
      pre.setAttribute("aria-label", "the file around line " + p.line);
      li.appendChild(pre);
    }
    return li;
  }

  function draw(board) {
    var key = keyOf(board);
    if (hiddenKey !== null && key !== hiddenKey) remember(null); // they changed: Hide is over
    if (!board.problems.length || key === hiddenKey) {
      if (host) { host.remove(); host = null; }
      drawnKey = null;
      return;
    }
    if (host && key === drawnKey) return; // nothing new to say
    drawnKey = key;
    if (!host) {
      host = el("div");
      host.id = "carebase-preview-problems";
      host.attachShadow({ mode: "open" });
    }
    var root = host.shadowRoot;
    while (root.firstChild) root.removeChild(root.firstChild);
    root.appendChild(el("style", null, STYLE));
    var top = heading(board);
    var box = el("section", "box" + (top.warning ? " warning" : ""));
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "carebase serve: problems in the content");
    var head = el("div", "head"); // not a <header>: a second banner landmark in the page
    head.appendChild(el("h2", null, top.text));
    head.appendChild(el("p", "state", stateText(board)));
    var hide = el("button", null, "Hide");
    hide.type = "button";
    hide.title = "Hide until the problems change";
    hide.addEventListener("click", function () { remember(key); draw(board); });
    head.appendChild(hide);
    box.appendChild(head);
    var list = el("ol");
    board.problems.forEach(function (p) { list.appendChild(problemItem(p)); });
    box.appendChild(list);
    box.appendChild(el("p", "todo",
      "Fix each one in your editor at the file and line shown, then save: this page updates by itself."));
    root.appendChild(box);
    if (!host.isConnected) document.body.appendChild(host);
  }

  var version = -1;
  function ask() {
    var url = ENDPOINT + (version >= 0 ? "?after=" + version : "");
    fetch(url, { cache: "no-store" })
      .then(function (answer) { if (!answer.ok) throw new Error(String(answer.status)); return answer.json(); })
      .then(function (board) {
        version = board.version;
        draw(board);
        ask();
      })
      .catch(function () { setTimeout(ask, 3000); }); // the server restarting, or gone
  }
  ask();
})();
