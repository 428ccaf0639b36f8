"""The backlog's rows: one per recommendation of the report, ranked, each saying why.

Every row has a stable ``key``: ``<action>:<item id>`` for what concerns one item (``fix``,
``keywords``, ``review``, ``promote``, ``transcript``), or the missing-content topic's id
(``topic:…``, stable across runs) for a topic, whatever its action (``write`` or
``retag``): one topic, one action. A topic of **questions assistants could not answer**
(``report["assistants"]``: the answer API, MCP, the Ask box) is a row like a failed-search
topic, keyed ``ask:`` + its own stable topic id (``ask:topic:…``), unless a failed-search
topic's row already claims one of its wordings: then its questions join that row's evidence
(one wording, one target). A topic merged from several (``report.topic_merge``) has the
key of its largest part and lists the others' in ``merged_ids``: a decision stored under one
of those attaches to it (``states.apply_states``). ``why`` is one sentence with the numbers behind the
recommendation (CSV, JSON, Markdown, an issue), ``why_short`` (write, retag and Fix rows of Failing content) the
same verdict in a line or two for a screen, the whole ``why`` one click away under Evidence; ``owner`` is never empty (``owners.py``); ``customers`` ranks it (customers
the period shows it affects). Rows backed by customers' evidence come first, upkeep
(reviews past their date, videos without a transcript) after; numbering is continuous.
"""

from __future__ import annotations

import math

from carebase.backlog.claims import decides, resolve
from carebase.backlog.owners import Owners
from carebase.report.page_needs import fix_pages, says_landed, says_named
from carebase.report.scoring import similarity_text

ACTIONS = {  # action → (verb, what the row asks, tier: 0 customers' evidence, 1 upkeep)
    "fix": ("Fix", "an item customers say does not help", 0),
    "write": ("Write", "a new article for searches nothing answers", 0),
    "retag": ("Retag", "an item customers look for in other words", 0),
    "keywords": ("Add keywords to", "an item customers found only the long way", 0),
    "promote": ("Promote", "an FAQ answer customers need more from", 0),
    "review": ("Review", "an item past its review date", 1),
    "transcript": ("Transcribe", "a video search cannot read", 1),
}
EVIDENCE_QUERIES = 12


def _pct(rate) -> str:
    return "–" if rate is None else f"{rate * 100:.0f} %"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def _quoted(queries: list[dict], n: int = 2) -> str:
    """The first ``n`` distinct wordings (case and spacing aside), quoted."""
    seen: dict[str, str] = {}
    for q in queries:
        seen.setdefault(" ".join(q["query"].lower().split()), q["query"])
    return ", ".join(f"“{q}”" for q in list(seen.values())[:n])


def _outcomes(c: dict) -> str:
    parts = [(c["zero"], "with no result"), (c["abandoned"], "with results nobody clicked"),
             (c["bad"], "clicked, then voted “No”")]
    text = ", ".join(f"{n:,} {what}" for n, what in parts if n)
    if c["contact"]:
        text += f"{'; ' if text else ''}{c['contact']:,} went on to contact support"
    return text


def _question_outcomes(c: dict) -> str:
    parts = [(c["zero"], "with no answer"), (c["contact"], "answered, then escalated to a person")]
    return ", ".join(f"{n:,} {what}" for n, what in parts if n)


def _nearest(c: dict) -> str:
    ev = (c.get("evidence") or {}).get("most_similar")
    closest = c.get("closest") or {}
    if not ev or not closest:
        return "; no item comes near it"
    threshold = (c.get("evidence") or {}).get("threshold")
    if "did not take it" in (closest.get("why") or ""):
        return (f"; “{ev['title']}” is {similarity_text(ev['similarity'], threshold)} similar, but search already shows it "
                f"first for these searches and customers did not take it")
    return (f"; the nearest item, “{ev['title']}”, is {similarity_text(ev['similarity'], threshold)} similar (an answer needs "
            f"{threshold:.2f})")


class Builder:
    def __init__(self, report: dict, catalogue, key_of):
        self.report = report
        self.catalogue = catalogue
        self.owners = Owners(catalogue)
        self.key_of = key_of  # text → its analysed wording key (the report's normaliser)
        self.rows: dict[str, dict] = {}
        self.customers_said: list[tuple[dict, str]] = []  # (a Fix row holding its need's searches, whose customers)

    # -- one row ------------------------------------------------------------------------
    def add(self, key: str, action: str, *, subject: dict, why: str, customers: float, source: dict,
            category: str = "", owner: tuple[str, str] | None = None, evidence: dict | None = None,
            section: str = "", target: str | None = None, claims: list | None = None, extra: dict | None = None):
        if key in self.rows:  # one row per key: the first (stronger) evidence wins
            return
        verb, _, tier = ACTIONS[action]
        own, own_from = owner or self.owners.of_item(subject.get("id") if subject["kind"] != "topic" else None)
        if own_from == "none" and category:
            own, own_from = self.owners.of_category(category)
        titles = {c.id: c.title for c in self.catalogue.categories}
        self.rows[key] = {
            "key": key, "action": action, "verb": verb, "tier": tier, "subject": subject,
            "item": subject["id"] if subject["kind"] != "topic" else target,
            "topic": subject["id"] if subject["kind"] == "topic" else None,
            "target": target or (subject["id"] if subject["kind"] != "topic" else "new"),
            "why": why, "customers": math.ceil(customers) if customers > 0 else 0, "owner": own, "owner_from": own_from,
            "category": category, "category_title": titles.get(category, category or "(none)"),
            "kind": subject["kind"], "lang": self.lang_of(subject), "source": source, "section": section,
            "evidence": evidence or {}, "claims": claims or [], **(extra or {}),
        }

    def lang_of(self, subject: dict) -> str:
        """The item's language code ("" for the site's own language, as the content model)."""
        item = self.catalogue.get(subject["id"]) if subject["kind"] != "topic" else None
        return getattr(item, "lang", "") or ""

    def item_subject(self, row: dict) -> dict:
        return {"kind": row.get("kind", "article"), "id": row["id"], "title": row["title"], "url": row.get("url", "")}

    # -- the report's sections -----------------------------------------------------------
    def failing(self) -> None:
        base = self.report["summary"]["baseline"]
        for r in fix_pages(self.report["failing"]):  # the pages report.page_needs folds needs into
            reason = f"; most given reason: “{r['reasons'][0][0]}” ({r['reasons'][0][1]})" if r["reasons"] else ""
            why = (f"{r['unhelpful']:,} of {r['n']:,} votes say it did not help ({_pct(r['rate'])}, at least "
                   f"{_pct(r['low'])} at 95 % against {_pct(base)} on a typical page) and "
                   f"{_plural(r['exposure'], 'customer')} landed on it{reason}.")
            short = (f"{r['unhelpful']:,} of {r['n']:,} votes say it did not help ({_pct(r['rate'])})"
                     + (f"; most often “{r['reasons'][0][0]}”" if r["reasons"] else "") + ".")
            self.add(f"fix:{r['id']}", "fix", subject=self.item_subject(r), why=why, customers=r["impact"],
                     source=r["source"], category=r["category"], section="failing", extra={"why_short": short},
                     evidence={"votes": {"n": r["n"], "unhelpful": r["unhelpful"], "rate": r["rate"], "low": r["low"]},
                               "reasons": r["reasons"], "comments": r.get("comments", []),
                               "queries": r.get("queries", []), "contacts": r["contacts"]})
        for r in self.report["stale"]["falling"]:
            extra = r["after"]["hits"] - round((r["before"]["rate"] or 0) * r["after"]["n"])
            why = (f"Customers rate it clearly worse than in the previous period: {_pct(r['after']['rate'])} of "
                   f"{r['after']['n']:,} votes unhelpful, was {_pct(r['before']['rate'])} of {r['before']['n']:,}.")
            self.add(f"fix:{r['id']}", "fix", subject=self.item_subject(r), why=why, customers=extra,
                     source=r["source"], category=r["category"], section="stale",
                     evidence={"votes": {"n": r["after"]["n"], "unhelpful": r["after"]["hits"],
                                         "rate": r["after"]["rate"], "before": r["before"]}})
        for r in self.report["stale"]["revisions"]:
            last = r["edits"][-1]
            if r["last_verdict"] != "made it worse" or not last.get("current", True):
                continue
            why = (f"Its last edit (revision {last['to']}, from {last['first_seen']}) made it worse: "
                   f"{_pct(last['after']['rate'])} of {last['after']['n']:,} votes unhelpful, was "
                   f"{_pct(last['before']['rate'])} of {last['before']['n']:,} before.")
            self.add(f"fix:{r['id']}", "fix", subject=self.item_subject(r), why=why,
                     customers=last["after"]["hits"] - round((last["before"]["rate"] or 0) * last["after"]["n"]),
                     source=r["source"], category=r["category"], section="stale", evidence={"edit": last})

    def topics(self) -> None:
        for c in self.report["missing"]["clusters"]:
            self._topic(c, c["topic_id"], "missing", ("search", "searches"), _outcomes(c))

    def ranked_by(self, c: dict, section: str) -> float:
        """What the report's section ranked the topic ``c`` by (``topic_order.order``): its
        customers (failed searches counted by client), plus the credit of the rows that may be
        the same need (``with_repeats``), or a likely repeat's share of its own (the section's
        ``grouped_with.repeats`` discount): the backlog ranks the row by the same figure, so
        the two lists keep one order."""
        counted = c.get("counted", c["failed"])
        if c.get("with_repeats"):
            return float(c["with_repeats"]["ranked_by"])
        setting = ((self.report.get(section) or {}).get("grouped_with") or {}).get("repeats")
        if c.get("repeats") and setting and setting[1]:
            return counted * setting[1]
        return float(counted)

    def questions(self) -> None:
        """Topics of questions assistants could not answer (after the searches' topics)."""
        claimed = {key: row for row in self.rows.values() if decides(row) for key, _ in row["claims"]}
        for c in (self.report.get("assistants") or {}).get("clusters", []):
            keys = c.get("wording_keys") or [c["key"]]
            owner = next((claimed[k] for k in keys if k in claimed), None)
            if owner is not None:  # the searches' topic decides these wordings: its row holds the questions too
                owner["evidence"].setdefault("questions", []).extend((c.get("all_queries") or c["queries"])[:EVIDENCE_QUERIES])
                owner["customers"] += c["failed"]
                if "customers_of" in owner:  # a Fix row that holds its need's searches: a third population
                    owner["customers_of"]["questions"] = owner["customers_of"].get("questions", 0) + c["failed"]
                if "ranked_by" in owner:  # a topic's row; a Fix row is ranked by its customers
                    owner["ranked_by"] += c["failed"]
                owner["why"] += (f" Assistants could not answer {_plural(c['failed'], 'question')} of it too "
                                 f"({_quoted(c['queries'])}).")
                if owner.get("why_short"):
                    owner["why_short"] += f" Assistants could not answer {_plural(c['failed'], 'question')} of it too."
                continue
            self._topic(c, "ask:" + c["topic_id"], "assistants", ("question", "questions"), _question_outcomes(c))

    def _topic(self, c: dict, key: str, section: str, noun: tuple[str, str], kinds: str) -> None:
        one, many = noun
        claims = [[k, None] for k in c.get("wording_keys") or [c["key"]]]
        queries = c.get("all_queries") or c["queries"]
        evidence = {"queries": queries[:EVIDENCE_QUERIES], "wordings": c["variants"],
                    "outcomes": {k: c[k] for k in ("zero", "abandoned", "bad", "contact")},
                    "trend": c["trend"], "journeys": (c.get("evidence") or {}).get("reached", []),
                    "why_grouped": c["why_grouped"], "lead": c.get("lead", []), "mentioned": c.get("mentioned", [])}
        if c.get("repeats"):  # "may be the same need as #N": the live report offers "two needs" with it
            evidence["repeats"] = {k: c["repeats"].get(k) for k in ("topic_id", "label", "rank")}
            for why in ("kept_apart", "neighbours"):  # kept apart by the grouping, or by its wordings' neighbours:
                if c["repeats"].get(why) is not None:  # the live report says so
                    evidence["repeats"][why] = c["repeats"][why]
        if c.get("twin_of"):  # close to #N alone: the live report offers "same need" with it
            evidence["twin_of"] = {k: c["twin_of"].get(k) for k in ("topic_id", "label", "rank")}
        if c.get("with_repeats"):  # ranked with the rows that may be the same need, as the section
            evidence["with_repeats"] = {k: c["with_repeats"].get(k) for k in ("ranks", "failed", "ranked_by")}
        if section == "assistants":
            evidence["asked"] = True  # zero = "no answer", contact = escalated (report.asks)
        subject = {"kind": "topic", "id": key, "title": c.get("title") or c["label"], "url": ""}
        prefix = key[: len(key) - len(c["topic_id"])]  # "ask:" for assistants' topics
        merged = [prefix + part for part in c.get("merged_ids", [])]  # its parts' keys: their decisions attach
        closest = c.get("closest") or {}
        ranking = {"ranked_by": self.ranked_by(c, section), "section_rank": (section, c.get("rank", 0))}
        folded = c.get("in_backlog") if section == "missing" else None  # report.page_needs: a Fix page's need
        if folded:
            if folded["key"] not in self.rows:  # page_needs.fold names only pages fix_pages keeps
                raise ValueError(f"missing content {c['topic_id']!r} is folded into {folded['key']!r}, which is no "
                                 "Fix row of this report")
            self.fold(self.rows[folded["key"]], c, key, claims, merged)
            return
        if c["status"] == "gap":
            dismissed = (c.get("evidence") or {}).get("dismissed") or []
            twin = (c.get("near_page") or {}).get("twin")  # report.landed_votes: they opened a page, it is not theirs
            reached = (f"the item their journeys reached, “{dismissed[0]['title']}”, was marked wrong for them"
                       if dismissed else "the page they opened answers another need"
                       if twin else "too few of their journeys went on to reach any one item")
            why = (f"{_plural(c['failed'], one, many)} in {_plural(c['variants'], 'wording')} "
                   f"({_quoted(c['queries'])}) failed ({kinds}) and {reached}{'' if twin else _nearest(c)}.")
            for claim in claims:
                claim[1] = "new"
            short = (f"{_plural(c['failed'], one, many)} in {_plural(c['variants'], 'wording')} failed; "
                     f"{'no item answers them' if not dismissed else 'the item they reached was marked wrong'}.")
            landed = c.get("near_page") or {}
            if "votes" in landed:  # they landed on a page near their need and voted it down (page_needs.near_needs)
                why += f" {says_landed(c)[0].upper()}{says_landed(c)[1:]}."
                evidence["landed_on"] = {k: landed[k] for k in ("id", "title", "votes", "voted_no", "at_fault", "own")}
                if not landed["at_fault"]:
                    short += f" {landed['voted_no']:,} voted “{landed['title']}” down: not its fault."
            if c.get("names_page"):  # typed in a page's own words, shown to them (page_needs.names_page)
                why += f" {says_named(c)[0].upper()}{says_named(c)[1:]}."
                evidence["names_page"] = dict(c["names_page"])
                short = (f"{_plural(c['failed'], one, many)} in {_plural(c['variants'], 'wording')} failed, in words "
                         f"“{c['names_page']['title']}” says it covers: check that page first.")
            self.add(key, "write", subject=subject, why=why, customers=c.get("counted", c["failed"]),
                     source={"path": c["suggestion"]["path"], "line": 0, "href": c["suggestion"]["href"]},
                     category=closest.get("category", ""), target="new", section=section, evidence=evidence,
                     claims=claims, extra={"suggestion": c["suggestion"], "merged_ids": merged, "why_short": short,
                                           **ranking})
        elif c["status"] == "findability":
            words = c["suggestion"].get("customer_words") or [c["label"]]
            why = (f"{_plural(c['failed'], one, many)} for {_quoted(c['queries'])} failed ({kinds}) "
                   f"although “{closest['title']}” answers them: {closest.get('why', 'it is similar')}.")
            for claim in claims:
                claim[1] = closest["id"]
            short = f"{_plural(c['failed'], one, many)} failed although “{closest['title']}” answers them."
            self.add(key, "retag", subject=subject, why=why, customers=c.get("counted", c["failed"]),
                     source=closest["source"], category=closest.get("category", ""), target=closest["id"],
                     owner=self.owners.of_item(closest["id"]), section=section, evidence=evidence,
                     claims=claims, extra={"suggestion": c["suggestion"], "words": words, "why_short": short,
                                           "target_title": closest["title"], "merged_ids": merged, **ranking})

    def fold(self, fix: dict, c: dict, key: str, claims: list, merged: list[str]) -> None:
        """The topic ``c`` is the need of the page ``fix`` acts on (``report.page_needs``, its
        verdict "poor answer" everywhere): one row, Fix, holding the
        topic's searches and wordings (its claims now target the page) and the topic's decisions
        (``merged_ids``); ``say_folds`` words it once every topic is in."""
        queries = c.get("all_queries") or c["queries"]
        fix["evidence"].setdefault("failed_searches", []).append({
            "topic": key, "title": c.get("title") or c["label"], "failed": c["failed"], "bad": c["bad"],
            "counted": c.get("counted", c["failed"]), "clients": c.get("clients"), "queries": queries[:EVIDENCE_QUERIES]})
        fix["claims"] += [[k, fix["item"]] for k, _ in claims]
        fix["merged_ids"] = fix.get("merged_ids", []) + [key] + merged

    def say_folds(self) -> None:
        """A page's Fix row that holds the failed searches of its need says so in its ``why`` and
        counts the larger of its customers and the searches' (counted by client), saying which
        (``customers_of``, ``customers_from``): the page's voters and its need's searchers are two
        populations, some customers in both (those who searched, opened it and voted), never added
        up (session 44's reader, RP2)."""
        for row in self.rows.values():
            folded = row["evidence"].get("failed_searches")
            if not folded:
                continue
            failed, bad = sum(f["failed"] for f in folded), sum(f["bad"] for f in folded)
            clients = sum(f.get("clients") or 0 for f in folded)
            wordings = [q for f in folded for q in f["queries"][:1]] + [q for f in folded for q in f["queries"][1:]]
            counted = sum(f["counted"] for f in folded)
            own, searched = row["customers"], math.ceil(counted) if counted > 0 else 0
            row["customers"] = max(own, searched)
            row["customers_of"] = {"votes": own, "searches": searched}
            row["customers_from"] = "votes" if own >= searched else "searches"
            by = (f" from {_plural(clients, 'client')}" if clients else "")
            which = (f"the page's own, left unhelped beyond a typical page's rate, from its votes and landings (its "
                     f"need's failed searches count {searched:,})" if own >= searched else
                     f"its need's failed searches, counted by client (the page's own, left unhelped beyond a typical "
                     f"page's rate, count {own:,})")
            row["why"] = (row["why"].rstrip(".") + f"; {_plural(failed, 'failed search', 'failed searches')} of its need "
                          f"({_quoted(wordings)}){by}: {bad:,} of them clicked a result, then voted “No” (on this page, "
                          f"their votes are among its own above): fix it rather than write another.")
            self.customers_said.append((row, which))
            row["why_short"] = (row["why_short"].rstrip(".") + f"; {_plural(failed, 'failed search', 'failed searches')} "
                                "are its need.")

    def say_customers(self) -> None:
        """The "Customers N: …" sentence of a Fix row that holds its need's failed searches, once
        ``questions`` has added assistants' questions to them (reader R4: written before, it said
        "Customers 36" beside a Customers column of 41)."""
        for row, which in self.customers_said:
            asked = row["customers_of"].get("questions", 0)
            more = f", and {_plural(asked, 'question')} to assistants" if asked else ""
            row["why"] += f" Customers {row['customers']:,}: {which}{more}."

    def keywords(self) -> None:
        for r in self.report["missing"].get("keywords", []):
            words = [w for w in r["words"]]
            claims = [[" ".join(self.key_of(w["word"])), r["id"]] for w in words]
            self.add(f"keywords:{r['id']}", "keywords", subject=self.item_subject(r), why="", customers=r["journeys"],
                     source=r["source"], category=r["category"], section="keywords",
                     evidence={"words": words}, claims=claims,
                     extra={"words": [w["word"] for w in words], "suggestion": {"keywords": r["keywords"],
                                                                              "synonyms": r["synonyms"]}})

    def upkeep(self) -> None:
        for p in self.report["coverage"]["faq_promotions"]:
            parts = []
            if any(w.startswith("voted down") for w in p["why"]):
                parts.append(f"voted down ({_pct(p['rate'])} of {p['n']:,} votes unhelpful)")
            if any(w.startswith("searched often") for w in p["why"]):
                parts.append(f"reached by {p['clicks']:,} result clicks, more than 2 % of all")
            why = f"This FAQ answer is {' and '.join(parts)}: customers need more than a short answer."
            self.add(f"promote:{p['id']}", "promote", subject={**self.item_subject(p), "kind": "faq"}, why=why,
                     customers=max(p["clicks"], p["n"]), source=p["source"], category=p["category"],
                     section="coverage")
        for r in self.report["stale"]["overdue"]:
            voted = r["unhelpful"]
            why = (f"Its review date {r['review_by']} passed {_plural(r['days_overdue'], 'day')} ago; "
                   f"{_plural(voted['n'], 'customer')} voted on it this period ({_pct(voted['rate'])} unhelpful).")
            owner = self.owners.of_group(r["id"]) if r["kind"] == "faq group" else None
            self.add(f"review:{r['id']}", "review", subject=self.item_subject(r), why=why, customers=voted["n"],
                     source=r["source"], category=r["category"], owner=owner, section="stale")
        items = {r["id"]: r for r in self.report["items"]}
        for v in self.report["coverage"]["videos_without_transcript"]:
            seen = items.get(v["id"]) or {"clicks": 0, "n": 0}
            captions = f"{_plural(v['captions'], 'caption file')} but" if v["captions"] else "no captions and"
            why = (f"The video has {captions} no transcript, so search cannot find it by what it says; "
                   f"{_plural(seen['clicks'], 'customer')} reached it from search and {seen['n']:,} voted on it "
                   f"this period.")
            self.add(f"transcript:{v['id']}", "transcript", subject={**self.item_subject(v), "kind": "video"},
                     why=why, customers=seen["clicks"], source=v["source"], category=v["category"], section="coverage")


def keyword_why(row: dict) -> str:
    words = row["evidence"]["words"]
    journeys = sum(w["journeys"] for w in words)
    low = sum(w["found_low"] for w in words)
    listed = ", ".join(f"“{w['word']}” ({w['journeys']})" for w in words[:3]) + (" …" if len(words) > 3 else "")
    return (f"{_plural(journeys, 'journey')} searched {listed} and reached “{row['subject']['title']}” only "
            f"further down the results ({low:,}) or another way ({journeys - low:,}); its title, summary, keywords "
            f"and tags lack {'these words' if len(words) > 1 else 'the word'}.")


#: whose count a Fix row holding its need's failed searches shows (``Builder.say_folds``)
#: What a Fix row's customers count: the page's impact (Failing content: its voters and landings left
#: unhelped beyond a typical page's rate, not all its voters), or its need's searchers (``say_folds``)
CUSTOMERS_FROM = {"votes": "unhelped beyond a typical page", "searches": "its need's searchers"}


def customers_from(row: dict) -> str:
    """Which population a row's customers are (a Fix row holding its need's failed searches), and
    the other's count: "" for a row of one population (HTML backlog, backlog.csv)."""
    of = row.get("customers_of")
    if not of and row.get("action") == "fix" and row.get("section") == "failing":
        return CUSTOMERS_FROM["votes"]  # the page's impact, not its voters (its why says how many voted)
    if not of or row.get("customers_from") not in CUSTOMERS_FROM:
        return ""
    other = "searches" if row["customers_from"] == "votes" else "votes"
    said = f"{CUSTOMERS_FROM[row['customers_from']]}; {CUSTOMERS_FROM[other]} {of[other]:,}"
    if of.get("questions"):
        said += f"; + {of['questions']:,} questions to assistants"
    return said


def build_rows(report: dict, catalogue, key_of) -> tuple[list[dict], list[dict]]:
    """(rows ranked and numbered, what ``claims.resolve`` changed to keep them consistent)."""
    builder = Builder(report, catalogue, key_of)
    builder.failing()
    builder.topics()
    builder.say_folds()
    builder.questions()
    builder.say_customers()
    builder.keywords()
    builder.upkeep()
    rows = list(builder.rows.values())
    rows, resolved = resolve(rows)
    for row in rows:
        if row["action"] == "keywords":
            row["customers"] = sum(w["journeys"] for w in row["evidence"]["words"])
            row["why"] = keyword_why(row)
    rows.sort(key=rank_key)
    for number, row in enumerate(rows, 1):
        row["number"] = number
    _say_ranking(rows)
    return rows, resolved


def _titles(titles: list[str], n: int = 3) -> str:
    named = ", ".join(f"“{t}”" for t in titles[:n])
    return named + (f" and {len(titles) - n:,} more" if len(titles) > n else "")


def _say_ranking(rows: list[dict]) -> None:
    """A topic row ranked other than by its own customers says so in its ``why`` (so in every
    view: the backlog's HTML, the live workspace, Markdown and CSV), naming the other rows by
    title (a live view numbers rows by its filter)."""
    titles = {tuple(row["section_rank"]): row["subject"]["title"] for row in rows if row.get("section_rank")}
    for row in rows:
        section = (row.get("section_rank") or ("", 0))[0]
        if not section:
            continue
        ev = row["evidence"]
        w, first = ev.get("with_repeats"), ev.get("repeats")
        if w and w.get("ranks"):
            named = [titles[(section, r)] for r in w["ranks"] if (section, r) in titles]
            row["why"] = (row["why"].rstrip(".") + f"; ranked with {_plural(len(w['ranks']), 'row')} that may be "
                          f"the same need ({_titles(named)}: {w['failed']:,} more failed searches) as if it had "
                          f"{round(row['ranked_by']):,}, as Missing content ranks it.")
            _short(row, f"Ranked as if it had {round(row['ranked_by']):,}: {_plural(len(w['ranks']), 'row')} may be "
                        "the same need.")
        elif first and (section, first.get("rank")) in titles:
            row["why"] = (row["why"].rstrip(".") + f"; it may be the same need as “{titles[(section, first['rank'])]}”, "
                          f"so it is ranked as if it had {round(row['ranked_by']):,}, after the rows that repeat "
                          "nothing, as Missing content ranks it.")
            _short(row, f"Ranked as if it had {round(row['ranked_by']):,}: it may repeat another row.")


def _short(row: dict, more: str) -> None:
    if row.get("why_short"):
        row["why_short"] += " " + more


_ORDER = {a: i for i, a in enumerate(ACTIONS)}
_SECTIONS = {"missing": 0, "assistants": 1}


def rank_key(row: dict) -> tuple:
    """The backlog's order: upkeep after customers' evidence; then the figure each row is ranked
    by (its customers; a missing-content topic's as its section ranked it, ``Builder.ranked_by``);
    ties between topics of one section in that section's order (write and retag rows alike), so
    the backlog never reorders what Missing content ranked."""
    section, rank = row.get("section_rank") or ("", 0)
    slot = _ORDER["write"] if section else _ORDER[row["action"]]
    return (row["tier"], -row.get("ranked_by", row["customers"]), slot, _SECTIONS.get(section, 0), rank, row["key"])
