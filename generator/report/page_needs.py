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

**A page voted down by a near need's customers** (``near_needs``): customers who searched for a
need no page answers (a gap row) land on the nearest page and vote "No" — not because the page
fails its own customers. Each Fix page's votes are split by the search that led to them
(``page_votes``): the votes of journeys whose wording belongs to a gap row and does not name only
what the page covers are that near need's; the rest are the page's own. When its own votes alone
would not make it a Fix page (fewer than ``min_votes``, or the Wilson 95 % lower bound of their
unhelpful rate not above the report's baseline: Failing content's own test, no new threshold), the
page is **not at fault**: no Fix row, its Failing content row says whose "No" it holds, and the gap
row names the page its customers landed on, with their votes (``near_page``). A page a need was
folded into (``fold``: its own customers' failed searches) stays at fault.
"""

from __future__ import annotations

from carebase.report.replay import headline_text
from carebase.report.scoring import wilson


def fix_pages(failing: list[dict]) -> list[dict]:
    """The Failing content rows the backlog makes a Fix row of (``backlog.rows.Builder.failing``):
    voted down more than a typical page, and not only by a near need's customers (``near_needs``)."""
    return [r for r in failing if not r["insufficient"] and r["impact"] > 0
            and (r.get("near_need") or {}).get("at_fault", True)]


def _count(queries: list[dict], keep) -> int:
    return sum(q["count"] for q in queries if keep(q["query"]))


def fold(failing: list[dict], clusters: list[dict], catalogue, key_of, votes: dict | None = None) -> None:
    """Give each gap topic of ``clusters`` (Missing content, in place) whose need is a Fix
    page's the verdict ``poor answer`` (``in_backlog`` names the Fix row); a gap whose failed
    searches ended on a page only near it keeps "gap" and says so (``near_page``). The wordings
    that led customers to a page: its row's most clicked (``queries``, five) and every wording
    whose journeys clicked it and voted on it (``votes``: ``page_votes.votes_by_search`` of the
    Fix pages), so a small need typed in the page's own keyword ("tenant") is not left a gap
    because five bigger wordings fill the row's list."""
    pages = fix_pages(failing)
    if not pages:
        return
    key = lambda text: " ".join(key_of(text))  # noqa: E731
    votes = votes or {}
    led = {r["id"]: {key(q["query"]) for q in r.get("queries", [])} | {key(q) for q in votes.get(r["id"], {})}
           for r in pages}
    heads: dict[str, set] = {}
    for c in clusters:
        if c["status"] != "gap" or c["bad"] * 2 < c["failed"] or (c.get("near_page") or {}).get("twin"):
            continue  # a twin (landed_votes) was judged on the page's votes: that verdict stands
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
        elif near is not None and "votes" not in c.get("near_page", {}):  # a twin's page (landed_votes) stays named
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


def near_needs(failing: list[dict], clusters: list[dict], catalogue, key_of, votes: dict, *, baseline: float,
               min_votes: int) -> None:
    """Mark each Fix page (``fix_pages``) whose "No" votes came from gap rows' customers (``near_need``
    on its Failing content row, ``near_page`` on the gap row): ``votes`` is
    ``page_votes.votes_by_search`` of those pages. See the module's docstring."""
    pages = fix_pages(failing)
    gaps = [c for c in clusters if c["status"] == "gap"]
    if not pages or not gaps:
        return
    folded = {c["in_backlog"]["key"] for c in clusters if c.get("in_backlog")}
    of_wording: dict[str, tuple[int, int]] = {}  # a gap row's wording → (its row's place in ``gaps``, failed searches)
    for n, c in enumerate(gaps):
        for q in c.get("all_queries") or c["queries"]:
            of_wording.setdefault(q["query"], (n, q["count"]))
    keys: dict[str, set] = {}
    for page in pages:
        by_query = votes.get(page["id"])
        if not by_query:
            continue
        item = catalogue.get(page["id"])
        head = set(key_of(headline_text(item) if item is not None else page["title"]))
        found: dict[int, list] = {}  # gap row → [its wordings that voted here, their failed searches]
        for query, got in by_query.items():
            if query not in of_wording:
                continue
            if query not in keys:
                keys[query] = set(key_of(query))
            if keys[query] and keys[query] <= head:  # it names the page: its own customers
                continue
            n, failed = of_wording[query]
            row = found.setdefault(n, [[], 0])
            row[0].append({"query": query, "votes": got[0], "voted_no": got[1]})
            row[1] += failed
        needs = [(gaps[n], ws, failed) for n, (ws, failed) in sorted(found.items())
                 if sum(w["voted_no"] for w in ws)]
        if not needs:
            continue
        # counted per client as the row is (page_votes), so within its votes; the row's revision
        # window can still leave it fewer: never more "No" from near needs than the row holds
        near_n = min(page["n"], sum(w["votes"] for _, ws, _ in needs for w in ws))
        near_no = min(page["unhelpful"], near_n, sum(w["voted_no"] for _, ws, _ in needs for w in ws))
        own_n, own_no = max(0, page["n"] - near_n), max(0, page["unhelpful"] - near_no)
        own = wilson(min(own_no, own_n), own_n)
        at_fault = f"fix:{page['id']}" in folded or (own_n >= min_votes and own.low > baseline)
        page["near_need"] = {
            "at_fault": at_fault, "votes": near_n, "voted_no": near_no,
            "own": {"n": own_n, "unhelpful": min(own_no, own_n), "rate": own.rate, "low": own.low, "high": own.high},
            "needs": [{"topic_id": c["topic_id"], "title": c.get("title") or c["label"], "rank": c.get("rank"),
                       "votes": sum(w["votes"] for w in ws), "voted_no": sum(w["voted_no"] for w in ws),
                       "wordings": sorted(ws, key=lambda w: (-w["votes"], w["query"]))[:5]}
                      for c, ws, _ in needs]}
        for c, ws, failed in needs:
            landed = c.get("near_page") or {"id": page["id"], "title": page["title"], "searches": failed}
            if landed["id"] != page["id"]:
                continue  # its searches mostly led to another Fix page: that one is named
            landed.update(votes=sum(w["votes"] for w in ws), voted_no=sum(w["voted_no"] for w in ws),
                          at_fault=at_fault, own=page["near_need"]["own"])
            c["near_page"] = landed


def _pct(rate) -> str:
    return "–" if rate is None else f"{rate * 100:.0f} %"


def says_near_need(row: dict) -> str:
    """A Failing content row's sentence on the near needs' votes it holds ("" when none)."""
    near = row.get("near_need")
    if not near:
        return ""
    needs = near["needs"]
    named = ", ".join(f"“{n['title']}”" + (f" (Missing content #{n['rank']})" if n.get("rank") else "") for n in needs)
    who = (f"{near['voted_no']:,} of its {row['unhelpful']:,} “No” votes came from customers who searched for "
           f"{named}, {'a need' if len(needs) == 1 else 'needs'} it does not cover, and landed on it")
    own = near["own"]
    rest = f"the rest of its votes: {own['unhelpful']:,} of {own['n']:,} “No” ({_pct(own['rate'])})"
    if near["at_fault"]:
        return f"{who}; {rest}, still worse than a typical page: fix it for its own customers."
    return f"Not its content: {who}; {rest}. Write the missing article, not a fix of this page."


def says_landed(c: dict, title=lambda text: text) -> str:
    """A gap row's sentence on the voted-down page its searches landed on ("" when none); ``title``
    quotes the page's title for the format (Markdown escapes it)."""
    p = c.get("near_page")
    if not p:
        return ""
    if "votes" not in p:  # led there by its wordings (``fold``), votes not split: the page's Fix row stands
        return f"{p['searches']:,} led to “{title(p['title'])}”, voted down, which does not say this need: not its fault"
    own = p["own"]
    verdict = ("not its fault, so it has no Fix row" if not p["at_fault"]
               else "its other voters vote it down too, so its Fix row stands")
    if p.get("twin") and not p["at_fault"]:  # a need worded like the page's own (landed_votes): its own customers are helped
        verdict = "its own customers are helped by it, so it is no page to fix"
    return (f"{p['voted_no']:,} of these searches opened “{title(p['title'])}”, then voted “No”: it does not say this need; "
            f"{verdict} (the rest of its votes: {own['unhelpful']:,} of {own['n']:,} “No”)")


def names_page(clusters: list[dict], catalogue, key_of) -> None:
    """Mark each gap row (``clusters``, in place) most of whose failed searches name only what a page
    search shows them covers (every analysed word in its title, summary, keywords or tags; one of the
    row's replayed results, ``replay``) with ``names_page``: the words are that page's own, so a new
    article may repeat it — the lead looks at the page first (the demo's "Partner", a keyword of *Share
    access with your household*, 5 failed searches: 3 saw it and did not open it, 2 voted it down). A
    row already naming the voted-down page it landed on (``near_page``) says that instead."""
    for c in clusters:
        if c["status"] != "gap" or c.get("near_page"):
            continue
        queries = c.get("all_queries") or c["queries"]
        for place, hit in enumerate(c.get("replay") or [], 1):
            item = catalogue.get(hit["id"])
            if item is None:
                continue
            head = set(key_of(headline_text(item)))
            named = _count(queries, lambda q: bool(key_of(q)) and set(key_of(q)) <= head)
            if named * 2 > c["failed"]:
                c["names_page"] = {"id": item.id, "title": item.title, "searches": named, "shown": place}
                break


def says_named(c: dict, title=lambda text: text) -> str:
    """A gap row's sentence on the page whose own words its searches are ("" when none)."""
    p = c.get("names_page")
    if not p:
        return ""
    return (f"{p['searches']:,} of these {c['failed']:,} failed searches use only words “{title(p['title'])}” says it "
            f"covers (its title, summary or keywords), and search shows it to them (result {p['shown']}): "
            "check that page before writing a new one")
