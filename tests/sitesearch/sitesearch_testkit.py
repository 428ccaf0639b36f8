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
    outcome and opens the page again, at most ``attempts`` times: a service that never answers
    in time still fails the test."""
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
    (a service thread that missed the probe's 3.5 s on a loaded machine), forget that outcome and
    open the page again, at most ``attempts`` times, as ``open_search_page`` does. No search is
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


def _open_until_service(page, url: str, attempts: int, focus: str | None = None) -> None:
    """Open ``url`` (and click ``focus``, which starts the probe on pages that probe on focus)
    until the page's probe of the service decides for the service, forgetting a fallback
    outcome between attempts; fails after ``attempts`` fallbacks."""
    modes = []
    for _ in range(attempts):
        page.goto(url, wait_until="load")
        material_started(page)
        if focus:
            page.locator(focus).click()
        modes.append(page.wait_for_function(
            "() => { const f = document.querySelector('form.cb-search[data-cb-search-mode]');"
            " return f && f.getAttribute('data-cb-search-mode'); }").json_value())
        if modes[-1] == "api":
            return
        page.evaluate("(key) => sessionStorage.removeItem(key)", MODE_KEY)
    raise AssertionError(f"{url}: the page never used the service (its search modes: {modes})")


def _index_in_node(folder, body: str, payload: dict):
    """Run ``body`` in Node after the browser's own analyser.js and search-index.js, over the
    client index in ``folder`` (files fetched from disk, each fetched file's name appended to
    ``fetched``); ``input`` holds ``payload`` and the index's root. Skips when Node is absent."""
    import json
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (needed to run search-index.js outside a browser)")
    assets = Path(__file__).resolve().parents[2] / "theme" / "assets" / "carebase"
    script = (
        "const vm = require('vm'); const fs = require('fs'); const {fileURLToPath} = require('url');"
        "const input = JSON.parse(fs.readFileSync(0, 'utf8')); let fetched = [];"
        "const fetch = (url) => { const path = fileURLToPath(url); const ok = fs.existsSync(path);"
        " fetched.push(path.split('/').pop());"
        " return Promise.resolve({ok, status: ok ? 200 : 404,"
        " json: () => Promise.resolve(JSON.parse(fs.readFileSync(path, 'utf8')))}); };"
        "const ctx = {window: {}, URL, fetch}; vm.createContext(ctx);"
        "for (const name of ['analyser.js', 'search-index.js'])"
        " vm.runInContext(fs.readFileSync(input.assets + '/' + name, 'utf8'), ctx);"
        + body
    )
    payload = {**payload, "assets": str(assets), "root": Path(folder).resolve().as_uri() + "/"}
    done = subprocess.run([node, "-e", script], input=json.dumps(payload), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


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
