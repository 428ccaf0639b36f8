"""Failed searches that are a voted-down page's own need: one verdict, made once, everywhere.

A **gap** topic (no item answers it by meaning: ``topic_actions``) whose failed searches mostly
clicked a result, then voted "No", in wordings that led customers to a page with a Fix row
(Failing content: voted down more than a typical page) is that page's need **when most of its
failed searches name only what the page says it covers** (every word of the wording, as the
one analyser keys it, is in the page's title, summary, keywords or tags): customers searched
for the page by its own words, opened it, and it did not help. Its verdict is then
``poor answer`` — in Missing content (its badge, its action "Fix …", its closest item), in
report.json, missing.csv and report.md, in the summary's and the categories' gap counts, and in
the backlog, where it joins the page's Fix row (``backlog.rows.Builder.fold``) — never "gap"
in one place and "fix" in another (session 43 left it labelled gap).

A topic whose searches clicked a page only *near* it (the nearest article, whose title,
summary and keywords do not say what they asked) and voted "No" because it did not answer them
stays a **gap**: write the article, the page is not at fault. Its row says so (``near_page``).
On the 23 development held-out stores (session 43's reports), had every removed topic's
customers clicked its nearest item and voted "No", this rule would take none of the 444 top-20
gap rows for that item's need (2 if they had clicked the first search result instead); asking
only that the words the row's searches share be the page's would take 105 (RESULTS, session 44
``report``).
"""

from __future__ import annotations

from carebase.report.replay import headline_text


def fix_pages(failing: list[dict]) -> list[dict]:
    """The Failing content rows the backlog makes a Fix row of (``backlog.rows.Builder.failing``)."""
    return [r for r in failing if not r["insufficient"] and r["impact"] > 0]


def _count(queries: list[dict], keep) -> int:
    return sum(q["count"] for q in queries if keep(q["query"]))


def fold(failing: list[dict], clusters: list[dict], catalogue, key_of) -> None:
    """Give each gap topic of ``clusters`` (Missing content, in place) whose need is a Fix
    page's the verdict ``poor answer`` (``in_backlog`` names the Fix row); a gap whose failed
    searches ended on a page only near it keeps "gap" and says so (``near_page``)."""
    pages = fix_pages(failing)
    if not pages:
        return
    key = lambda text: " ".join(key_of(text))  # noqa: E731
    led = {r["id"]: {key(q["query"]) for q in r.get("queries", [])} for r in pages}
    heads: dict[str, set] = {}
    for c in clusters:
        if c["status"] != "gap" or c["bad"] * 2 < c["failed"]:
            continue
        queries = c.get("all_queries") or c["queries"]
        best, most, near = None, 0, None
        for page in pages:
            on = _count(queries, lambda q: key(q) in led[page["id"]])
            if on * 2 < c["failed"]:
                continue
            if page["id"] not in heads:
                item = catalogue.get(page["id"])
                heads[page["id"]] = set(key_of(headline_text(item) if item is not None else page["title"]))
            head = heads[page["id"]]
            named = _count(queries, lambda q: bool(key_of(q)) and set(key_of(q)) <= head)
            if named * 2 > c["failed"] and on > most:
                best, most = page, on
            elif near is None or on > near[1]:
                near = (page, on)
        if best is not None:
            _poor_answer(c, best, most)
        elif near is not None:
            page, on = near
            c["near_page"] = {"id": page["id"], "title": page["title"], "searches": on}


def _poor_answer(c: dict, page: dict, on: int) -> None:
    title = page["title"]
    c["status"] = "poor answer"
    # two populations, each named with its own count (session 44's reader, RP2): this need's
    # searchers (the row's failed searches) and the page's votes (from everyone who voted on it, some
    # of these searchers among them; each client's first VOTES_PER_CLIENT, so votes, not voters: reader R11)
    c["poor_answer"] = {"page": page["id"], "searches": c["failed"], "clients": c.get("clients"),
                        "voted_no": c["bad"], "page_votes": page["n"], "page_voted_no": page["unhelpful"]}
    c["action"] = (f"Fix “{title}”: {c['bad']:,} of these {c['failed']:,} failed searches clicked a result, then "
                   f"voted “No”; of all its votes, {page['unhelpful']:,} of {page['n']:,} were “No”")
    c["closest"] = {"id": page["id"], "kind": page.get("kind", "article"), "title": title, "url": page.get("url", ""),
                    "category": page.get("category", ""), "source": page["source"],
                    "why": f"{on:,} of these {c['failed']:,} failed searches were typed in the words that lead "
                           "customers to it, the words it says it covers"}
    c.pop("suggestion", None)  # no new file: the page is there for this need
    c["in_backlog"] = {"action": "fix", "key": f"fix:{page['id']}", "title": title}
