"""Helpers the site-search browser tests share."""

from __future__ import annotations

import time

from web_testkit import material_started


def hrefs(locator) -> list[str]:
    """The ``href`` of every element ``locator`` finds, in page order."""
    return locator.evaluate_all("els => els.map(e => e.getAttribute('href'))")


def wait_rows(stack, type_, predicate=lambda r: True, timeout=10.0) -> list:
    """The stored rows of ``type_`` matching ``predicate``, once there is one (the store's
    writer commits after the answer is sent); [] when none came within ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        rows = [r for r in stack.rows(type_) if predicate(r)]
        if rows:
            return rows
        time.sleep(0.1)
    return []


ASK_STATE = "() => document.querySelector('form[data-carebase-search=search-page]').dataset.cbAskState"


def asked_without_card(page, stack, path: str, question: str) -> None:
    """Open the search page ``path`` ("search/", "de/search/") with ``question`` through the
    service and check the Ask box showed no card: its state "none", the ``ask`` events stored as
    not answered, no passage on the page, and the results still listed."""
    open_search_page(page, stack.url + path + "?q=" + question.replace(" ", "+"), engine="api")
    page.wait_for_function(f"() => ({ASK_STATE})() === 'none'")
    rows = wait_rows(stack, "ask", lambda r: r["query"] == question)
    assert rows and all(r["value"] == 0 and r["item_id"] is None for r in rows), rows
    assert page.locator(".cb-ask .cb-ask__passage").count() == 0
    assert page.locator("#cb-results .cb-result__link").count() > 0  # the results are still there


MODE_KEY = "carebase.searchMode"  # search.js: the tab's remembered outcome of its service probe


def open_search_page(page, url: str, engine: str = "api", attempts: int = 3) -> None:
    """Open the search page ``url`` and wait until ``engine`` has answered its query.

    For ``"api"``: the page's first search is also its probe of the service, which gives up
    after 3.5 s (search.js ``LANDING_TIMEOUT``) and falls back to the client index, remembering
    that in the tab for a minute. The run's service is a thread of a pytest worker process; on
    a loaded 2-core machine it can miss those 3.5 s, and the page then rightly answers from the
    index (what a customer of a slow service gets; tested on its own with a dead service). These
    tests are about what happens once the service answers, so when the page says it fell back
    (its form's ``data-cb-search-mode``, set once the probe has decided) the tab forgets that
    outcome and opens the page again: at least ``attempts`` times, and on until ``PATIENCE_S``
    have passed since the first (three attempts all fell back at load ~50 in a clean-clone CI of
    54a663e). A service that never answers in time still fails the test, naming each attempt's
    mode and time."""
    if engine == "api":
        _open_until_service(page, url, attempts)
    else:
        page.goto(url, wait_until="load")
        material_started(page)
    page.wait_for_function("(engine) => document.querySelector('.cb-search-results').dataset.cbEngine === engine",
                           arg=engine)


def focus_box_with_service(page, url: str, box: str = "#cb-q", attempts: int = 3) -> None:
    """Open ``url`` and focus its search ``box``, then wait until the page's probe of the service
    (started by the focus, search.js ``ready``) has decided; when it fell back to the client index
    (a service thread that missed the probe's 3 s on a loaded machine), forget that outcome and
    open the page again, as ``open_search_page`` does (``attempts`` times at least, then on until
    ``PATIENCE_S``). No search is
    sent before the customer types, so the retries log nothing."""
    _open_until_service(page, url, attempts, focus=box)


def type_for_suggestions(page, url: str, service: str, q: str, box: str = "#cb-q") -> None:
    """Open ``url``, type ``q`` in its search ``box`` as a customer does, and wait until the
    suggestions list has answered ``q`` from the engine ``service`` means ("up": the API, after
    the page's probe found the service; "down": the client index)."""
    if service == "up":
        focus_box_with_service(page, url, box=box)
    else:
        page.goto(url, wait_until="load")
        material_started(page)
        page.locator(box).click()
    page.locator(box).press_sequentially(q, delay=40)
    engine = "api" if service == "up" else "index"
    page.wait_for_function("([e, q]) => { const l = document.querySelector('form[data-cb-combobox] [role=listbox]');"
                           " return l && l.dataset.cbEngine === e && !l.hasAttribute('data-carebase-pending')"
                           " && l.dataset.carebaseQuery === q; }", arg=[engine, q])


def contact_after_searches(page, site: str, queries) -> None:
    """Search each of ``queries`` on the search page of ``site`` until the journey's searches
    (sessionStorage ``carebase.searches``) hold it, open the thermostat-offline article, follow
    "Send us a message" and wait until the contact form lists the searches masked as the service
    stores them (an email address as [email])."""
    for q in queries:
        open_search_page(page, site + "search/?q=" + q.replace(" ", "+"))
        page.wait_for_function("(q) => (JSON.parse(sessionStorage.getItem('carebase.searches') || '[]')).includes(q)",
                               arg=q)
    page.goto(site + "troubleshooting/thermostat-offline/", wait_until="load")
    material_started(page)
    page.get_by_role("link", name="Send us a message").click()
    page.wait_for_url(site + "contact/?from=/troubleshooting/thermostat-offline/")
    page.wait_for_function("() => [...document.querySelectorAll('.cb-contact-searches input')]"
                           ".some(b => b.value.includes('[email]'))")


#: how long ``open_search_page`` / ``focus_box_with_service`` go on opening a page whose probe fell
#: back to the client index (after their ``attempts``): a bound on a loaded machine, where each
#: attempt costs the probe's 3-3.5 s and a page load; an unloaded run needs one attempt
PATIENCE_S = 90.0


def _open_until_service(page, url: str, attempts: int, focus: str | None = None,
                        patience: float | None = None) -> None:
    """Open ``url`` (and click ``focus``, which starts the probe on pages that probe on focus)
    until the page's probe of the service decides for the service, forgetting a fallback
    outcome between attempts; fails after ``attempts`` fallbacks once ``patience`` seconds
    (``PATIENCE_S``) have passed since the first attempt began."""
    patience = PATIENCE_S if patience is None else patience
    modes, start = [], time.monotonic()
    while len(modes) < attempts or time.monotonic() - start < patience:
        page.goto(url, wait_until="load")
        material_started(page)
        if focus:
            page.locator(focus).click()
        mode = page.wait_for_function(
            "() => { const f = document.querySelector('form.cb-search[data-cb-search-mode]');"
            " return f && f.getAttribute('data-cb-search-mode'); }").json_value()
        if mode == "api":
            return
        modes.append(f"{mode} at {time.monotonic() - start:.1f} s")
        page.evaluate("(key) => sessionStorage.removeItem(key)", MODE_KEY)
    raise AssertionError(f"{url}: the page never used the service in {len(modes)} attempts"
                         f" over {time.monotonic() - start:.1f} s (its search modes: {modes})")


#: The Node process of ``_index_in_node`` (one per test process, started on first use): it reads
#: one request a line on stdin (its number, a script's body and its input) and answers one JSON
#: line each, with the request's number, so the run's ~40 calls cost one Node start-up per worker,
#: not one each (with V8's compiled analyser.js and search-index.js kept between them). Each request
#: gets a new vm context, a new ``fetched`` list and a fresh load of the two scripts: what a fresh
#: process gave it. What a request's code does later (a timer's console.log, a late rejection or
#: throw) belongs to that request, never to the one being answered then: its console is its own,
#: and a process-level error is told to the request whose code raised it by Node's
#: AsyncLocalStorage (which follows timers and promises, in vm contexts too). The first answer
#: (output or error) answers a request; anything it does after that is written to stderr, and the
#: next request is not held up by it.
_NODE_SERVER = r"""
const vm = require('vm'); const fs = require('fs'); const {fileURLToPath} = require('url');
const {AsyncLocalStorage} = require('async_hooks');
const compiled = new Map();  // path -> [source, vm.Script]: compiled again when the file changed
const scriptOf = (path) => { const source = fs.readFileSync(path, 'utf8'); const known = compiled.get(path);
  if (known && known[0] === source) return known[1];
  const script = new vm.Script(source, {filename: path}); compiled.set(path, [source, script]); return script; };
const PRELUDE = "let fetched = [];"
  + "const fetch = (url) => { const path = fileURLToPath(url); const ok = fs.existsSync(path);"
  + " fetched.push(path.split('/').pop());"
  + " return Promise.resolve({ok, status: ok ? 200 : 404,"
  + " json: () => Promise.resolve(JSON.parse(fs.readFileSync(path, 'utf8')))}); };"
  + "const ctx = {window: {}, URL, fetch}; vm.createContext(ctx);"
  + "for (const name of ['analyser.js', 'search-index.js']) scriptOf(input.assets + '/' + name).runInContext(ctx);";
const owner = new AsyncLocalStorage();  // the request whose code is running
const text = (error) => String((error && error.stack) || error);
// answer(request, fields): the request's one answer; what comes after it goes to stderr
const answer = (request, fields, late) => {
  if (request.answered) { process.stderr.write(`request ${request.id}, after its answer: ${late}\n`); return; }
  request.answered = true;
  process.stdout.write(JSON.stringify({id: request.id, ...fields}) + '\n');
  request.resolve();
};
const failed = (request, error) => answer(request, {error: text(error)}, text(error));
const outside = (error) => {  // raised by code of no request (this server's own): fails none
  process.stderr.write(`no request's error: ${text(error)}\n`); };
const processError = (error) => { const request = owner.getStore(); request ? failed(request, error) : outside(error); };
process.on('unhandledRejection', processError);
process.on('uncaughtException', processError);
const handle = ({id, body, input}) => new Promise((resolve) => {
  const request = {id, resolve, answered: false};
  const console = {log: (out) => { let value;
    try { value = JSON.parse(out); } catch (error) {
      return failed(request, new Error(`console.log needs one JSON text, not ${String(out).slice(0, 200)}`)); }
    answer(request, {out: value}, `console.log(${out})`); }};
  owner.run(request, () => {
    try {
      new Function('input', 'console', 'vm', 'fs', 'fileURLToPath', 'scriptOf', PRELUDE + body)(
        input, console, vm, fs, fileURLToPath, scriptOf);
    } catch (error) { failed(request, error); }
  });
});
let queue = Promise.resolve();
require('readline').createInterface({input: process.stdin})
  .on('line', (line) => { const request = JSON.parse(line); queue = queue.then(() => handle(request)); })
  .on('close', () => queue.then(() => process.exit(0)));
"""
_NODE: list = []  # [the process, its stderr file] once started
_NODE_LOCK = __import__("threading").Lock()  # one request at a time on the one process
_REQUESTS = __import__("itertools").count(1)  # each request's number, which its answer carries


def _node_process(node: str):
    import atexit
    import subprocess
    import tempfile

    if _NODE and _NODE[0].poll() is None:
        return _NODE[0], _NODE[1]
    _NODE.clear()
    stderr = tempfile.TemporaryFile()
    process = subprocess.Popen([node, "-e", _NODE_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=stderr, bufsize=0)
    atexit.register(_node_stop, process)
    _NODE.extend([process, stderr])
    return process, stderr


def _node_stop(process) -> None:
    """At the test process's end: Node ends once its input is closed (killed if it does not)."""
    import subprocess

    if process.poll() is None:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _node_failed(process, stderr, why: str) -> str:
    process.kill()
    process.wait()
    _NODE.clear()
    stderr.seek(0)
    return f"{why}: {stderr.read().decode('utf-8', 'replace')}"


def _index_in_node(folder, body: str, payload: dict, timeout: float = 120):
    """Run ``body`` in Node after the browser's own analyser.js and search-index.js, over the
    client index in ``folder`` (files fetched from disk, each fetched file's name appended to
    ``fetched``); ``input`` holds ``payload`` and the index's root; the body answers by
    ``console.log`` of one JSON text. A thrown error or rejected promise fails the call with
    its stack. The first of these answers the call; what its code does later (a timer's output,
    a late error) is written to Node's stderr and never answers or fails a later call. Skips when
    Node is absent."""
    import json
    import select
    import shutil
    import time
    from pathlib import Path

    import pytest

    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (needed to run search-index.js outside a browser)")
    from tiers_testkit import starts

    starts("Node")  # a fast-tier test fails here, even when this process's Node is running already
    assets = Path(__file__).resolve().parents[2] / "theme" / "assets" / "carebase"
    payload = {**payload, "assets": str(assets), "root": Path(folder).resolve().as_uri() + "/"}
    with _NODE_LOCK:
        process, stderr = _node_process(node)
        request = next(_REQUESTS)
        process.stdin.write(json.dumps({"id": request, "body": body, "input": payload}).encode() + b"\n")
        line, end = b"", time.monotonic() + timeout
        while not line.endswith(b"\n"):
            left = end - time.monotonic()
            if left <= 0 or not select.select([process.stdout], [], [], left)[0]:
                raise AssertionError(_node_failed(process, stderr, f"Node gave no answer in {timeout} s"))
            chunk = process.stdout.read(1 << 16)
            if not chunk:
                raise AssertionError(_node_failed(process, stderr, f"Node ended (exit {process.wait()})"))
            line += chunk
            if b"\n" in line[:-1]:  # one answer a request (the next is not sent before it)
                raise AssertionError(_node_failed(process, stderr, f"Node wrote more than one line: {line!r}"))
        answer = json.loads(line)
        if answer.get("id") != request:
            raise AssertionError(_node_failed(process, stderr, f"Node answered request {answer.get('id')}, "
                                                               f"not {request}: {line!r}"))
    assert "error" not in answer, answer.get("error")
    return answer["out"]


def search_in_node(folder, queries: list[str]) -> dict[str, list[str]]:
    """Each query's result URLs from the site's client index in ``folder`` (meta.json, t-*.json,
    d-*.json), searched by the browser's own search-index.js and analyser.js run in Node
    (files fetched from disk); skips when Node is absent."""
    answers = _index_in_node(folder, (
        "ctx.window.carebaseSearchIndex.open(input.root).then((index) =>"
        " Promise.all(input.queries.map((q) => index.search(q + ' ', {limit: 50}))))"
        ".then((answers) => console.log(JSON.stringify(answers.map((a) => a.hits.map((h) => h.url)))));"
    ), {"queries": queries})
    return dict(zip(queries, answers))


def strong_in_node(folder, queries: list[str]) -> dict[str, list[str]]:
    """Each query's strong matches (item ids, in order) from the client index in ``folder``, as
    the search page lists them before "Show weaker matches" (search-index.js in Node)."""
    answers = _index_in_node(folder, (
        "ctx.window.carebaseSearchIndex.open(input.root).then((index) =>"
        " Promise.all(input.queries.map((q) => index.search(q + ' ', {limit: 200}))))"
        ".then((answers) => console.log(JSON.stringify(answers.map((a) => a.hits.filter((h) => h.strong)"
        ".map((h) => h.id)))));"
    ), {"queries": queries})
    return dict(zip(queries, answers))


def suggestions_in_node(folder, queries: list[str]) -> dict[str, str | None]:
    """Each query's "did you mean" from the client index in ``folder``, searched as on the search
    page (search-index.js in Node, the query settled: no completion of its last word)."""
    answers = _index_in_node(folder, (
        "ctx.window.carebaseSearchIndex.open(input.root).then((index) =>"
        " Promise.all(input.queries.map((q) => index.search(q + ' ', {limit: 5}))))"
        ".then((answers) => console.log(JSON.stringify(answers.map((a) => a.suggestion || null))));"
    ), {"queries": queries})
    return dict(zip(queries, answers))


def searches_in_node(folder, calls: list[tuple[str, dict]]) -> list[dict]:
    """Each ``(query, options)`` searched by search-index.js in Node over the client index in
    ``folder``, each with an index opened afresh: its hits (id, kind, title, url, text,
    category) and the index files it fetched after meta.json. Skips when Node is absent."""
    return _index_in_node(folder, (
        "(async () => { const out = [];"
        " for (const [q, options] of input.calls) {"
        "  const index = await ctx.window.carebaseSearchIndex.open(input.root); fetched = [];"
        "  const res = await index.search(q, options);"
        "  await new Promise((r) => setTimeout(r, 0));"
        "  out.push({hits: res.hits.map((h) => [h.id, h.kind, h.title, h.url, h.text, h.category]),"
        "            fetched: fetched.filter((f) => f.startsWith('d-') || f.startsWith('t-'))}); }"
        " console.log(JSON.stringify(out)); })();"
    ), {"calls": calls})
