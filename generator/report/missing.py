"""Missing content: failed searches, grouped by meaning into topics, replayed now.

A search failed when it showed no results, when its results were never clicked (in a
known journey), or when the click was followed by a "No" vote or by "contact support".

1. Wordings: failed queries with the same normalised key (``Normaliser``: case, accents,
   stop words, typos, stems, synonyms; the names one customer adds set aside,
   ``mentioned_names``) are one wording group (``cluster_queries``).
2. Topics: wording groups are grouped by meaning (``topics``): sentence embeddings when
   carebase's semantic search is installed and its model knows the language of the pages the
   report is about (``meaning.knows``), else the analysed stems (TF-IDF). Unintelligible
   wordings are counted as noise.
3. One action per topic (``topic_actions``), from evidence (``topic_evidence``): the items
   journeys reached after failing, and the similarity of the topic to items' titles,
   summaries and keywords over a measured threshold. No item above it: a **gap**.

Rows are ranked by failed searches **counted by client** (``counted``), not by failed searches: each client (the service's salted,
daily-rotating hash of the sender's address) counts for at most ``PER_CLIENT`` failed searches
of a row, searches without a client hash (Do-Not-Track) together count as one client, so one
client repeating a wording (in any number of journeys or spellings) weighs what one customer
weighs, and a need 40 customers raised outranks one client's 500 repeats. Each row says how
many clients raised it and is marked when they are one (``one_client``). When the period's
failed searches come from fewer than two client hashes (a store before migration 0003, or a
service behind a proxy without ``--proxy-headers``: every event has the proxy's hash) rows are
ranked by failed searches, and the report says why (``by_client``).

Topic ids are stable across runs: a topic keeps the id of last run's topic whose centre is
most similar (cosine ≥ ``topics.ID_MATCH``; remembered in the report's cache folder), else
gets one derived from its medoid wording's normalised key.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from carebase.report import lead_links as lead_topic_links
from carebase.report import topic_evidence, topic_journeys, topic_order, topic_split
from carebase.report import topics as topic_grouping
from carebase.report.journeys import SearchRow
from carebase.report.normalise import Normaliser, words
from carebase.report.queries import CMP, CUR, SEARCHES_PER_CLIENT
from carebase.report.replay import body_text, headline_text
from carebase.report.topic_actions import Classifier, topic_label
from carebase.report.topic_evidence import EVIDENCE_MIN, GROUP_THRESHOLD, ITEM_THRESHOLD
from carebase.report.topic_vectors import MAX_EMBED, LexicalVectors, open_embeddings
from carebase.service.masking import MARKERS

MAX_CLUSTERS = 300  # topics replayed and explained (the rest are counted as "other")
FOLLOW_WORDINGS = 20  # most frequent wordings per topic whose journeys are followed
ALL_ITEMS_UP_TO = 2_000  # catalogues this small compare every item with every topic
MEMORY_FILE = "topics-{model}.json"
ALL_QUERIES = 500  # wordings listed per topic in report.json (the evidence behind it)
PER_CLIENT = SEARCHES_PER_CLIENT  # failed searches of one row that one client counts for (``counted``)
MIN_CLIENTS = 2  # client hashes the failed searches must come from to be counted by client
NAME_HEARD = 2  # customers typing a word the content lacks that make it a word of the need (``mentioned_names``)


@dataclass
class Cluster:
    key: tuple[str, ...]
    failed: int = 0
    failed_cmp: int = 0
    searches: int = 0
    zero: int = 0
    abandoned: int = 0
    bad: int = 0
    contact: int = 0
    queries: Counter = field(default_factory=Counter)  # raw query → failed searches
    steps: Counter = field(default_factory=Counter)
    typos: set = field(default_factory=set)  # raw queries that needed a typo correction
    misspelt: set = field(default_factory=set)  # raw queries more than half of whose words needed one
    spelt: dict = field(default_factory=dict)  # raw query that needed a typo correction → its words, corrected
    words: set = field(default_factory=set)  # the words customers typed (typos fixed, no stop words)
    mentions: Counter = field(default_factory=Counter)  # names set aside from its key (``mentioned_names``) → searches
    query_words: dict = field(default_factory=dict)  # raw query → its words (as ``words``; names kept)
    clients: Counter = field(default_factory=Counter)  # client hash ("": none) → failed searches
    found_clients: Counter = field(default_factory=Counter)  # client hash → the other searches
    weight: int = 0  # its failed searches counted by client (``counted``), set once they are all read
    voices: Counter = field(default_factory=Counter)  # raw query → clients that failed with it
    heard: int = 0  # clients of its failed searches, when counted by client (0: not counted so)

    @property
    def voice(self) -> int:
        """What this wording weighs in grouping, labels, typical wordings and shared words: its
        clients when the report counts by client (a client repeating it counts once), else its
        failed searches."""
        return self.heard or self.failed

    def heard_of(self, query: str) -> int:
        """A raw query's weight as ``voice``: its clients, or (not counted by client) its failed searches."""
        return self.voices[query] if self.heard else self.queries[query]

    def ranked_queries(self) -> list[str]:
        """Its raw queries, most heard first (``heard_of``, then failed searches; ties in the order
        read, as ``Counter.most_common``)."""
        return sorted(self.queries, key=lambda q: (-self.heard_of(q), -self.queries[q]))

    def label(self) -> str:
        """The wording most heard without a typo (else the most heard, its typos corrected:
        "refnd policy" is labelled "refund policy"): by clients when counted by client, then
        by failed searches."""
        forms: dict[str, list[int]] = {}  # lower-cased wording → [heard, failed searches]
        clean = [q for q in self.queries if q not in self.typos]
        for query in clean or list(self.queries):
            form = forms.setdefault(" ".join((query if clean else self.spelt.get(query, query)).lower().split()), [0, 0])
            form[0] += self.heard_of(query)
            form[1] += self.queries[query]
        return min(forms.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[0]

    def meaning(self) -> str:
        """Its label as grouping by meaning reads it: the names set aside from its key left
        out ("card declined at walmart" → "card declined at"), so the shop a customer names
        does not pull one need apart (session 33, development seeds: 68 of 75 removed topics
        found, 65 with the names embedded)."""
        label = self.label()
        if not self.mentions:
            return label
        kept = [t for t in label.split() if not (set(words(t)) and set(words(t)) <= self.mentions.keys())]
        return " ".join(kept) or label


def learn_words(normaliser: Normaliser, rows: list[SearchRow]) -> Counter:
    """The typo corrections (``Normaliser.learn``) from how often customers typed each word: by
    the clients that typed it (failed or not) when the searches come from at least
    ``MIN_CLIENTS`` client hashes, so one client typing a misspelling thirty times neither makes
    it a word of its own (splitting the customers' row) nor a target their typos fold into;
    else by searches. (The same rule as the rows': ``counts_by_client`` of the failed searches.)"""
    by_client = counts_by_client(rows)
    counts: Counter = Counter()
    for row in rows:
        heard = len(row.clients.keys() | row.found_clients.keys()) if by_client else row.searches
        for word in normaliser.analyser.words(row.query):
            counts[word] += heard
    normaliser.learn(counts)
    return counts


def mentioned_names(normaliser: Normaliser, counts: Counter, vocabulary: set[str]) -> set[str]:
    """The words that name a shop, a bank, a product or an occasion beside the need ("walmart",
    "fargo", "nike", "tv", "dress"): a word the help centre does not have (no item's title,
    summary, keywords or body, no synonym group holds its stem), no typo of a help-centre word
    (``Normaliser.corrections``), typed by fewer than ``NAME_HEARD`` customers in the period's
    searches (as ``learn_words`` counts them: by client when counted by client; one customer,
    however often). The need's own words are typed by many customers even when no article has
    them ("solar panel", "venmo" for a payment app the help centre lacks); a name is what one
    customer adds. ``cluster_queries`` sets them aside from a wording's key, so wordings that
    differ only by names are one wording group, and the row lists them (``mentioned``)."""
    analyser = normaliser.analyser
    return {w for w, n in counts.items()
            if n < NAME_HEARD and w not in normaliser.corrections and not analyser.is_stop(w)
            and analyser.stem(w) not in vocabulary}


def content_vocabulary(normaliser: Normaliser, catalogue) -> set[str]:
    """Every stem of the help centre: its items' titles, summaries, keywords and bodies, and the
    synonym groups' members."""
    vocabulary = set()
    for item in catalogue.items():
        vocabulary |= normaliser.stems_of(headline_text(item) + " " + body_text(item))
    for group in normaliser.groups.groups:
        vocabulary.update(s for member in group for s in member)
    return vocabulary


def cluster_queries(normaliser: Normaliser, rows: list[SearchRow], names: set[str] = frozenset(),
                    vocabulary: set[str] = frozenset()) -> dict[tuple, Cluster]:
    """Failed searches by wording group (one per normalised key). ``names``
    (``mentioned_names``): words set aside from the key when the rest of the search holds a
    word of the language or of the help centre (``vocabulary``: its stems), so "card declined
    at walmart" and "card declined at target" are the wording "card declined" (and
    "zzkv frobnicate5" stays what it is)."""
    clusters: dict[tuple, Cluster] = {}
    cache: dict[str, object] = {}
    for row in rows:
        if not row.query.strip():
            continue
        analysis = cache.get(row.query)
        if analysis is None:
            analysis = cache[row.query] = _set_aside(row.query, normaliser.analyse(row.query), names, normaliser,
                                                     vocabulary)
        cluster = clusters.get(analysis.key)
        if cluster is None:
            cluster = clusters[analysis.key] = Cluster(analysis.key)
        if row.bucket == CMP:
            cluster.failed_cmp += row.failed
            continue
        cluster.searches += row.searches
        cluster.found_clients.update(row.found_clients)
        if not row.failed:
            continue
        cluster.failed += row.failed
        cluster.zero += row.zero
        cluster.abandoned += row.abandoned
        cluster.bad += row.bad
        cluster.contact += row.contact
        cluster.queries[row.query] += row.failed
        cluster.voices[row.query] += len(row.clients)
        cluster.clients.update(row.clients)
        cluster.words.update(analysis.words)
        cluster.query_words[row.query] = frozenset(analysis.words)
        for name in analysis.names:
            cluster.mentions[name] += row.failed
        fixes = sum(step.startswith("typo:") for step in analysis.steps)
        if fixes:
            cluster.typos.add(row.query)
        if fixes and fixes * 2 > len(analysis.words):
            cluster.misspelt.add(row.query)  # most of its words are typos (one word of two is the customer's own)
        if fixes:
            cluster.spelt[row.query] = " ".join(normaliser.corrections.get(w, w)
                                                for w in normaliser.analyser.words(row.query, keep_stop_words=True))
        for step in analysis.steps:
            cluster.steps[step] += row.failed
    found = {k: c for k, c in clusters.items() if c.failed > 0}
    by_client = counts_by_client(found.values())
    for c in found.values():
        c.weight = counted(c.clients, c.failed, by_client)
        c.heard = len(c.clients) if by_client else 0
    return found


def _set_aside(query: str, analysis, names: set[str], normaliser: Normaliser, vocabulary: set[str]):
    """The analysis with the names among its words left out of its key (kept in ``names``,
    with a step saying so; ``words`` keeps them, for the noise rules), unless the rest of the
    search holds no word of the language or the help centre typed as it is (a typo's
    correction is a guess: "phbrnfnk snark" is no name beside "share")."""
    analyser = normaliser.analyser
    found = [w for w in analysis.words if w in names]
    typed = [w for w in analyser.words(query) if w not in names and w not in normaliser.corrections]
    analysis.names = tuple(dict.fromkeys(found))
    if not found or not any(analyser.is_word(w) or analyser.stem(w) in vocabulary for w in typed):
        analysis.names = ()
        return analysis
    rest = [w for w in analysis.words if w not in names]
    dropped = set(normaliser.stems_of(" ".join(found))) - set(normaliser.stems_of(" ".join(rest)))
    key = tuple(s for s in analysis.key if s not in dropped)
    if not key:
        analysis.names = ()
        return analysis
    analysis.key = key
    shown = [n for n in analysis.names if listable(n)]
    analysis.steps = analysis.steps + ["names set aside: " + ", ".join(shown) if shown else "a number set aside"]
    return analysis


def listable(name: str) -> bool:
    """Whether a name set aside may be shown to a support lead (``mentioned``, ``why_grouped``):
    never a word with a digit. An account or order number one customer typed ("884213",
    "a7731502": PII masking leaves numbers of fewer than 7 digits and numbers glued to letters
    readable) is set aside from the key as a name is, but not listed as one."""
    return not any(c.isdigit() for c in name)


def counts_by_client(wordings) -> bool:
    """Whether the failed searches come from at least ``MIN_CLIENTS`` client hashes: one
    hash for everything is a service behind a proxy without ``--proxy-headers`` (or a
    benchmark playing from one address), where counting by client would count nothing."""
    seen: set = set()
    for w in wordings:
        seen.update(who for who in w.clients if who)
        if len(seen) >= MIN_CLIENTS:
            return True
    return False


def clients_seen(wordings) -> int:
    return len({who for w in wordings for who in w.clients if who})


def counted(clients: Counter, failed: int, by_client: bool = True) -> int:
    """A row's failed searches counted as customers raised them: each client for at most
    ``PER_CLIENT``, the searches without a client hash ("") together as one client; the plain
    failed searches when the period's failed searches come from fewer than ``MIN_CLIENTS``
    client hashes (``by_client`` False: ``counts_by_client``)."""
    if not by_client:
        return failed
    return sum(min(n, PER_CLIENT) for n in clients.values())


def topic_clients(topic) -> Counter:
    out: Counter = Counter()
    for m in topic.members:
        out.update(m.clients)
    return out


def topic_found(topic, by_client: bool) -> int | None:
    """The topic's successful searches counted by client as its failed ones are (``counted``),
    or None when they are not counted by client (``Classifier.decide``: raw searches)."""
    if not by_client:
        return None
    out: Counter = Counter()
    for m in topic.members:
        out.update(m.found_clients)
    return counted(out, topic.total("searches") - topic.failed)


def topic_found_clients(topic, by_client: bool) -> tuple[int, int] | None:
    """(clients whose searches of the topic failed, clients whose searches of it succeeded),
    searches without a client hash as one client on each side, as ``counted`` does; None when
    not counted by client. "Mostly found" needs the second to outnumber the first
    (``Classifier.decide``)."""
    if not by_client:
        return None
    found: set = set()
    for m in topic.members:
        found.update(m.found_clients)
    return len(topic_clients(topic)), len(found)


FEW_FOUND = 2  # found searches per client, against failed searches per client, that flag a row


def spread(topic) -> dict:
    """Who is behind each side of a row, counted by client: ``failed`` and ``found``, each
    ``{"searches", "clients", "busiest"}`` (searches without a client hash: one client; busiest:
    the most searches one client made). ``few_found``: "found mostly by few addresses", when the
    clients that found the row searched it at least ``PER_CLIENT`` times each on average and at
    least ``FEW_FOUND`` times as often as the clients that failed it. No count tells seven
    addresses that each search once from seven customers: the flag only says when the ones
    that found it behave unlike the customers who failed it, for a lead to look."""
    found: Counter = Counter()
    for m in topic.members:
        found.update(m.found_clients)

    def side(who: Counter) -> dict:
        return {"searches": sum(who.values()), "clients": len(who),
                "busiest": max((n for c, n in who.items() if c), default=0)}
    failed_side, found_side = side(topic_clients(topic)), side(found)
    per_found = found_side["searches"] / max(1, found_side["clients"])
    per_failed = failed_side["searches"] / max(1, failed_side["clients"])
    return {"failed": failed_side, "found": found_side,
            "few_found": per_found >= PER_CLIENT and per_found >= FEW_FOUND * per_failed}


def samples(topic, n: int = 6) -> list[dict]:
    """The row's sample wordings (``queries`` in report.json; the HTML shows 4, Markdown 3): the
    most heard first (by clients when counted by client), then the most typical
    (``Topic.typical``), then the most searched, so one client's thirty searches of a crafted
    wording do not head the samples of six customers' row; each with its failed searches and
    its clients. (Not counted by client: the most searched first, as ``all_queries``.)"""
    typical = {id(m): i for i, m in enumerate(topic.typical(len(topic.members)))}
    found = [(m.heard_of(q), typical[id(m)], c, q, m.voices[q]) for m in topic.members for q, c in m.queries.items()]
    found.sort(key=lambda f: (-f[0], f[1], -f[2], f[3]))
    return [{"query": q, "count": c, "clients": k} for _, _, c, q, k in found[:n]]


MENTIONED = 8  # names a row lists


def mentioned(topic, analyser, typed: frozenset = frozenset()) -> list[str]:
    """The names its searches mention beside the need (``mentioned_names``) that are no
    everyday word ("walmart", "pnc", "paypal"; "beforehand" or "dress" were set aside too, and
    ``why_grouped`` says so), most searched first; never a word with a digit (``listable``),
    nor what only looks like a name (``misspelt``): a word cut at the end of a search the
    events API stopped at ``QUERY_CAP`` characters ("… charged twice! Please remove the
    additional charge fo"; ``maybe_cut``: also a search holding a masked value), one typing slip from a word the period's customers typed
    (``typed``: ``NAME_HEARD`` or more of them; a word under 5 letters only from the row's own
    searches' words, so "uber" is no slip on "user"; or a stop word: "lke") or two words run
    together (``misspelt``: "thankyou"); nor a word its customers wrote in lower case where they
    capitalise (``written_lower``: "throwaway", "disallowed", "exorbitant", a typo such as
    "redeposied"). Session 38's audit found "lke", "fo", "sti", "resolv", "thankyou"; session 39's
    "redeposied", "throwaway", "disallowed", "unknowingly"."""
    names: Counter = Counter()
    cut = {words(q)[-1] for m in topic.members for q in m.queries if maybe_cut(q) and words(q)}
    for m in topic.members:
        names.update({w: n for w, n in m.mentions.items()
                      if not analyser.is_ordinary(w) and listable(w) and w not in cut})
    row = frozenset(w for q in {q for m in topic.members for q in m.queries} for w in words(q))
    out = []
    for w, _ in sorted(names.items(), key=lambda kv: (-kv[1], kv[0])):
        if not misspelt(w, analyser, typed, row) and not written_lower(w, [q for m in topic.members for q in m.queries
                                                                             if w in m.query_words.get(q, words(q))]):
            out.append(w)
        if len(out) >= MENTIONED:
            break
    return out


_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def written_lower(word: str, queries: list[str]) -> bool:
    """Whether the customers who typed ``word`` wrote it as an everyday word, not a name: in
    lower case inside a search whose writer capitalises ("I was charged an exorbitant fee", "Why
    was my card disallowed?", "I redeposied the cheque"), and never with a capital inside a
    sentence ("a cash machine in Kensington"). A search typed all in lower case ("card declined
    at walmart") says nothing either way, nor does the first word of a sentence."""
    lower = False
    for query in queries:
        if query.isupper():
            continue  # shouted: no case to read
        capitalises = any(c.isupper() for c in query)
        for m in _TOKEN.finditer(query):
            token = m.group()
            if words(token) != [word]:
                continue
            opening = not query[:m.start()].strip() or query[:m.start()].rstrip()[-1] in ".?!"
            if token[0].isupper() and not opening:
                return False  # a capital inside a sentence: a name
            if token.islower() and capitalises:
                lower = True
    return lower


QUERY_CAP = 200  # characters of a search the events API keeps (service.openapi: "query", at most 200)
#: what the service's masker puts for what it hides
_MASKED = re.compile("|".join(map(re.escape, MARKERS)))


def maybe_cut(query: str) -> bool:
    """Whether a stored search may have been cut at ``QUERY_CAP``: as long as that in characters
    or in the UTF-16 units the browser cuts at (events.js; an emoji is two), or holding what the
    masker hid, after which its length before masking is unknown (a 200-character search with a
    card number is stored shorter)."""
    return (len(query) >= QUERY_CAP or len(query.encode("utf-16-le")) // 2 >= QUERY_CAP
            or _MASKED.search(query) is not None)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def misspelt(word: str, analyser, typed: frozenset, row: frozenset = frozenset()) -> bool:
    """Whether a word one customer typed reads as a slip on a word others typed or a stop word:
    shorter than 3 letters (two letters are too often a slip, "fo", to list: "tv" and "hp" are
    not listed either); one edit (a letter dropped, added, changed or two swapped, the first
    letter kept: slips there are rare) from a stop word or, for a word of 5+ letters, from a word
    the period's customers typed (``typed``), for a shorter one only from a word of the row's own
    searches (``row``): "uber", "etsy", "ikea", "lyft" are names, not slips on "user", "easy",
    "idea", "left" typed elsewhere; or two words run together, one of them a stop word and the
    other typed ("thankyou"), or both of the row's own searches ("facebook" only where the row
    holds "face" and "book")."""
    if len(word) < 3:
        return True

    near_typed = typed if len(word) >= 5 else row

    def known(w: str) -> bool:
        return w in near_typed or analyser.is_stop(w)

    def typed_or_stop(w: str) -> bool:
        return w in typed or w in row or analyser.is_stop(w)

    first = word[0]
    for i in range(len(word) + 1):
        a, b = word[:i], word[i:]
        near = []
        if b:
            near.append(a + b[1:])
            near.extend(a + c + b[1:] for c in _LETTERS if c != b[0])
        if len(b) > 1:
            near.append(a + b[1] + b[0] + b[2:])
        near.extend(a + c + b for c in _LETTERS)
        if any(len(w) > 1 and w[0] == first and known(w) for w in near):
            return True
    return any((analyser.is_stop(a) and typed_or_stop(b)) or (analyser.is_stop(b) and typed_or_stop(a))
               or (a in row and b in row) for a, b in ((word[:i], word[i:]) for i in range(3, len(word) - 2)))


def topic_weight(topic, by_client: bool) -> int:
    return counted(topic_clients(topic), topic.failed, by_client)


def trend(current: int, previous: int) -> dict:
    if previous == 0:
        return {"previous": 0, "change": None, "label": "new" if current else "–"}
    change = (current - previous) / previous
    return {"previous": previous, "change": round(change, 3), "label": f"{change:+.0%}"}




class ItemVectors:
    """Items' title, summary and keywords as vectors of the topics' kind, encoded on demand."""

    def __init__(self, catalogue, normaliser, vectors):
        self.catalogue, self.normaliser, self.vectors = catalogue, normaliser, vectors
        self.rows: dict[str, np.ndarray] = {}
        items = list(catalogue.items())
        self.all = items if len(items) <= ALL_ITEMS_UP_TO else None

    def candidates(self, found: list) -> list:
        return self.all if self.all is not None else found

    def matrix(self, items: list) -> np.ndarray:
        todo = [i for i in items if i.id not in self.rows]
        if todo:
            texts = [". ".join(p for p in (i.title, getattr(i, "summary", "") or "", ", ".join(i.keywords)) if p)
                     for i in todo]
            keys = [tuple(sorted(self.normaliser.stems_of(headline_text(i)))) for i in todo]
            for item, row in zip(todo, self.vectors.encode(texts, keys, "passage")):
                self.rows[item.id] = row
        if not items:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self.rows[i.id] for i in items])


def _lexical(normaliser, wordings, catalogue) -> LexicalVectors:
    df: Counter = Counter()
    for w in wordings:
        df.update(set(w.key))
    items = list(catalogue.items())
    for item in items:
        df.update(normaliser.stems_of(headline_text(item)))
    return LexicalVectors(df, len(wordings) + len(items))


def _vectors(normaliser, wordings, catalogue, cache_dir, embeddings):
    """The wordings' vectors: ``embeddings`` when given, else the meaning model's when it knows
    the language of the pages the report is about (``meaning.knows``: an English model's
    cosines between German wordings are noise), else TF-IDF over the analysed stems."""
    if embeddings is not None:
        chosen = embeddings
    else:
        from carebase.search import meaning

        language = getattr(catalogue, "language", "") or ""
        chosen = open_embeddings(cache_dir) if meaning.available() and meaning.knows(language) else None
    return chosen or _lexical(normaliser, wordings, catalogue)


def _bounded(wordings: list, kind: str) -> tuple[list, list]:
    """(wordings grouped by meaning, wordings left as they are): with embeddings, only the
    ``MAX_EMBED`` wordings with most failed searches are embedded; each of the others stays
    its own exact-key group (listed if it has ``min_searches`` failed searches on its own)."""
    if kind != "embedding" or len(wordings) <= MAX_EMBED:
        return wordings, []
    order = sorted(wordings, key=lambda w: (-w.weight, -w.failed, w.key))
    return order[:MAX_EMBED], order[MAX_EMBED:]


def _memory_path(cache_dir, model: str) -> Path | None:
    slug = "-".join("".join(c if c.isalnum() else " " for c in model.lower()).split())
    return Path(cache_dir) / MEMORY_FILE.format(model=slug) if cache_dir else None


def _remembered(cache_dir, model: str) -> list[tuple[str, np.ndarray]]:
    path = _memory_path(cache_dir, model)
    if path is None or not path.is_file():
        return []
    try:
        return [(t["id"], np.asarray(t["centre"], dtype=np.float32)) for t in json.loads(path.read_text())]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # damaged by hand: ids start afresh


MAX_REMEMBERED = 2_000  # topics remembered (this run's, then earlier ones not seen this run)


def _remember(cache_dir, model: str, topics, earlier: list[tuple[str, np.ndarray]] = ()) -> None:
    """This run's topics, then the earlier ones it did not see (a shorter period, a quiet week:
    they keep their ids when they come back), newest first, at most ``MAX_REMEMBERED``."""
    path = _memory_path(cache_dir, model)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [{"id": t.id, "label": topic_label(t), "centre": [round(float(x), 5) for x in t.centre]} for t in topics]
    seen = {t.id for t in topics}
    data += [{"id": i, "centre": [round(float(x), 5) for x in c]} for i, c in earlier if i not in seen]
    data = data[:MAX_REMEMBERED]
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(data))
    scratch.replace(path)


def _explain(topic, vectors, surface) -> list[str]:
    shared = topic.shared_words(surface)
    out = ["shared words: " + ", ".join(f"{w} ({share:.0%})" for w, share in shared)] if shared else []
    # the model that grouped them is said once, in the section's lede (``grouped_with``), not on every row
    out.append(f"tightness {topic.tightness():.2f}: mean similarity of its searches to the topic's centre")
    if len(topic.members) > 1:
        out.append(f"{len(topic.members)} wordings grouped by meaning")
    return out


def _shown_steps(steps: Counter, n: int = 3) -> list[str]:
    """The analyser's steps a lead reads (``why_grouped``), most frequent first: never a stem
    ("“passcode” → “passcod”"): a stem is the analyser's key, not a word anyone wrote; the typo,
    synonym, stop-word and case steps name words as customers or writers wrote them."""
    return [s for s, _ in steps.most_common() if not s.startswith("stem:")][:n]


def _surface_words(normaliser, wordings) -> dict[str, Counter]:
    """stem → the words customers typed for it (to show a stem as a word)."""
    surface: dict[str, Counter] = {}
    for w in wordings:
        for query in w.queries:  # weighed as heard (``Cluster.heard_of``): one client's spelling counts once
            analysis = normaliser.analyse(query)
            for word in analysis.words:
                surface.setdefault(normaliser.analyser.stem(word), Counter())[word] += w.heard_of(query)
            for s in analysis.key:  # a synonym's canonical stem: its group's first word
                surface.setdefault(s, Counter())
    return {s: c if c else Counter({s: 1}) for s, c in surface.items()}


def _rescue(wordings: list, unknown: list, reached_after) -> tuple[list, list]:
    """Wordings of unknown words whose journeys went on to reach an item are not noise
    (customers meant something an item answered); the rest are noise."""
    if not unknown:
        return wordings, []
    checked = sorted(unknown, key=lambda w: (-w.weight, -w.failed, w.key))[:MAX_CLUSTERS]
    reached = reached_after([q for w in checked for q in w.ranked_queries()[:3]])
    rescued = {id(w) for w in checked  # journeys to any item, counted by client
               if topic_evidence.reached_by(w.queries, reached, any_item=True)[0][None] >= EVIDENCE_MIN}
    return wordings + [w for w in unknown if id(w) in rescued], [w for w in unknown if id(w) not in rescued]


def _counting(reached_after, by_client: bool):
    """``reached_after`` as the rows are counted: by client, or (fewer than two client hashes)
    by journeys, every journey's client unknown."""
    if by_client:
        return reached_after
    return lambda queries: topic_evidence.without_clients(reached_after(queries))


def unintelligible(topic, known: set[str], vouched: set[int] = frozenset()) -> str | None:
    """Why a topic no item answers is still no article to write: ``"typos"`` when every one of
    its searches is misspelt — more than half its words needed a typo correction ("frezee crad",
    "authenticaton": a misspelling is no subject; "refnd policy", or a customer's sentence with
    one fixed word, holds as many of the customer's own words: a need), ``"gibberish"`` when
    most of its failed searches hold a word nobody knows (``snark snark12``, ``bmrhk snark``:
    one dictionary word among junk); None for a real gap. ``vouched``: ids of wordings whose
    journeys went on to reach an item (customers meant something: never junk)."""
    clean = 0
    for m in topic.members:  # by search: a wording's searches differ by the names set aside from its key
        if id(m) in vouched:
            clean += m.failed
            continue
        for q, n in m.queries.items():
            said = m.query_words.get(q, m.words)
            clean += n if said and said <= known else 0
    if clean * 2 < topic.failed:
        return "gibberish"
    return "typos" if all(q in m.misspelt for m in topic.members for q in m.queries) else None


def _repeats_last(backlog: list[dict], listed: list, setting, apart=frozenset(), twins=None,
                  credit: float | None = None, kept_apart: dict | None = None,
                  near: topic_order.Near | None = None) -> list[dict]:
    """The backlog with likely second rows of a need listed above them ranked lower
    (``topic_order``; ``setting`` = (threshold, discount) or None); such a row says which
    row it may repeat (``repeats``: that row's topic id and label; its rank once ranked).
    ``apart``: (row, row) positions a lead called two needs: neither repeats the other.
    ``twins`` = (margin, share) or None: a twin need of a row above repeats nothing
    (``topic_order.repeats``) and says which row it is the twin of (``twin_of``: that row's
    topic id and label, the two similarities; its rank once ranked).
    ``credit`` (``topic_order.order``): a row its likely repeats point at is ranked with
    ``credit`` × their failed searches and says so (``with_repeats``: the repeats' rows and
    failed searches, the count it was ranked by; their ranks once ranked).
    ``kept_apart``: {(row, row) positions: closeness} of rows the grouping's shared-neighbour gate
    kept apart: no twin exception between them (``topic_order``); a likely repeat of such a row
    says so (``repeats.kept_apart``: the closeness their wordings' neighbours showed).
    ``near`` = (closeness, rho) (``topic_order.repeats``): a row no repeat by its centre may be one
    by its wordings' neighbours, and says so (``repeats.neighbours``: that closeness)."""
    if setting is None or len(backlog) < 2:
        return backlog
    threshold, discount = setting
    twinned: dict = {}
    neighboured: dict = {}
    failed = [r.get("counted", r["failed"]) for r in backlog]
    kept_apart = {pair: r for pair, r in (kept_apart or {}).items() if pair not in apart}
    new, rep = topic_order.order(np.stack([t.centre for t in listed]), threshold, failed,
                                 discount, apart, twins, twinned, credit, frozenset(kept_apart), near, neighboured)
    if credit:
        ranked_by = topic_order.with_repeats(rep, failed, credit)
        for i, r in enumerate(rep):
            if r is not None:
                w = backlog[r].setdefault("with_repeats", {"rows": [], "failed": 0, "ranked_by": round(ranked_by[r], 1)})
                w["rows"].append(backlog[i])
                w["failed"] += failed[i]
    for i, (j, near, next_near) in twinned.items():
        first = backlog[j]
        backlog[i]["twin_of"] = {"topic_id": first["topic_id"], "label": first["label"], "row": first,
                                 "similarity": round(near, 2), "next": round(next_near, 2)}
    for i, (row, r) in enumerate(zip(backlog, rep)):
        if r is not None:
            first = backlog[r]
            row["repeats"] = {"topic_id": first["topic_id"], "label": first["label"], "row": first}
            if (i, r) in kept_apart:
                row["repeats"]["kept_apart"] = round(kept_apart[(i, r)], 2)
            if i in neighboured:
                row["repeats"]["neighbours"] = round(neighboured[i][1], 2)
    return [backlog[i] for i in new]


def kept_apart_pairs(listed: list) -> dict[tuple[int, int], float]:
    """{(row, row) positions in ``listed``: closeness} for the listed topics the grouping's
    shared-neighbour gate kept apart (``Topic.kept_apart``; both orders)."""
    position = {id(t): i for i, t in enumerate(listed)}
    out: dict[tuple[int, int], float] = {}
    for i, t in enumerate(listed):
        for other, closeness in t.kept_apart:
            j = position.get(id(other))
            if j is not None and j != i:
                out[(i, j)] = out[(j, i)] = closeness
    return out


def missing_section(catalogue, rows: list[SearchRow], normaliser: Normaliser, replayer, links,
                    reached_after, *, min_searches: int = 3, cache_dir=None, embeddings=None, blocks=None,
                    lead_links=None, landed=None) -> dict:
    """``reached_after(queries) -> {query: Counter((item id, next query) → journeys)}``
    (topic_evidence.reached_after). Topics with fewer than ``min_searches`` failed searches
    are only counted; ``embeddings`` overrides the semantic backend (tests, benchmarks);
    ``blocks`` (carebase.learned.blocks.Blocks): pairings a lead dismissed, never suggested;
    ``lead_links`` (carebase.backlog.topic_links.Link): rows a lead joined or split (lead_links);
    ``landed`` (landed_votes.LandedVotes): the page votes that tell a twin need from a page's own."""
    counts = learn_words(normaliser, [r for r in rows if r.bucket == CUR] or rows)
    vocabulary = content_vocabulary(normaliser, catalogue)
    names = mentioned_names(normaliser, counts, vocabulary)
    typed = frozenset(w for w, n in counts.items() if n >= NAME_HEARD)  # words of the need, not one customer's
    wordings = list(cluster_queries(normaliser, rows, names, vocabulary).values())
    known = topic_grouping.known_words(wordings, vocabulary, normaliser.analyser)
    wordings, unknown = topic_grouping.split_noise(wordings, known)
    by_client = counts_by_client(wordings + unknown)
    reached_after = _counting(reached_after, by_client)
    wordings, noise = _rescue(wordings, unknown, reached_after)
    vouched = {id(w) for w in unknown} - {id(w) for w in noise}
    vectors = _vectors(normaliser, wordings, catalogue, cache_dir, embeddings)
    kind = vectors.kind
    wordings, singles = _bounded(wordings, kind)
    matrix = vectors.encode([w.meaning() for w in wordings], [w.key for w in wordings])
    weight = topic_evidence.WORDS_WEIGHT[kind]
    words = _lexical(normaliser, wordings, catalogue).encode_keys([w.key for w in wordings]) if weight else None
    found, other = topic_grouping.group(wordings, matrix, GROUP_THRESHOLD[kind],
                                        merge_threshold=topic_evidence.MERGE_THRESHOLD[kind],
                                        words=words, words_weight=weight or 0.0,
                                        fragments=topic_evidence.FRAGMENTS[kind],
                                        neighbours=topic_evidence.NEIGHBOURS[kind],
                                        split=topic_evidence.SPLIT[kind])
    found += [topic_grouping.Topic([w], np.zeros(matrix.shape[1], dtype=np.float32), [1.0]) for w in singles]
    weights = {id(t): topic_weight(t, by_client) for t in found}
    found.sort(key=lambda t: (-weights[id(t)], -t.failed, -t.total("searches"), t.members[0].key))
    big = [t for t in found if t.failed >= min_searches]
    top = big[:MAX_CLUSTERS]
    rest = big[MAX_CLUSTERS:] + [t for t in found if t.failed < min_searches]
    earlier = _remembered(cache_dir, vectors.name)
    parts = topic_grouping.assign_merged_ids(top, earlier)
    applied = None
    # made before the lead's links and the journeys split rows: their notes name a row by its title,
    # as the lead saw it ("split by a lead from “Card not working”"), not by its medoid's wording
    classifier = Classifier(catalogue, normaliser, replayer, links, ItemVectors(catalogue, normaliser, vectors),
                            ITEM_THRESHOLD[kind], blocks=blocks, landed=landed)
    if landed is not None:  # a page's helped customers' wordings, as the rows' were encoded (landed_votes (4))
        landed.encode = lambda texts: vectors.encode(texts, [tuple(normaliser.analyse(t).key) for t in texts])
    if lead_links:  # a lead's "same need" / "two needs" (carebase.backlog.topic_links)
        index = {id(w): i for i, w in enumerate(wordings)}
        zero = np.zeros(matrix.shape[1], dtype=np.float32)
        top, applied = lead_topic_links.apply(top, lead_links, lambda w: matrix[index[id(w)]] if id(w) in index else zero,
                                              classifier.title)
    every = list(dict.fromkeys(q for t in top for m in t.members for q in m.ranked_queries()[:3]))
    journeys = reached_after(every) if every else {}
    split_notes = {}
    if journeys:  # searches whose journeys reached an item another need's (topic_journeys)
        index = {id(w): i for i, w in enumerate(wordings)}
        zero = np.zeros(matrix.shape[1], dtype=np.float32)
        top, split_notes = topic_journeys.apply(top, journeys, lambda w: matrix[index[id(w)]] if id(w) in index else zero,
                                                classifier.title, keep=set(applied.notes) if applied is not None else (),
                                                counted=lambda members: counted(sum((m.clients for m in members), Counter()),
                                                                                sum(m.failed for m in members), by_client))
    for t in top:  # rows a lead joined or split, or journeys split: counted again, then ranked by it
        if id(t) not in weights:
            weights[id(t)] = topic_weight(t, by_client)
    top.sort(key=lambda t: (-weights[id(t)], -t.failed, -t.total("searches"), t.members[0].key))
    follow = [q for t in top for m in t.typical(FOLLOW_WORDINGS) for q in m.ranked_queries()[:3]]
    reached = {q: journeys[q] for q in follow if q in journeys}
    surface = _surface_words(normaliser, [m for t in top for m in t.members])
    backlog, filled, poor = [], [], []
    listed = []  # the backlog rows' topics, in the rows' order
    unclear = {"gibberish": [], "typos": []}
    for topic in top:
        queries: Counter = Counter()
        steps: Counter = Counter()
        for m in topic.members:
            queries.update(m.queries)
            steps.update(m.steps)
        who = topic_clients(topic)
        heard = sum(1 for c in who if c)
        row = {
            "topic_id": topic.id, "key": " ".join(topic.medoid().key), "label": topic_label(topic),
            "title": classifier.title(topic),
            "failed": topic.failed, "searches": topic.total("searches"),
            "counted": weights[id(topic)],
            "clients": heard, "no_client": who.get("", 0),
            "one_client": by_client and heard == 1 and not who.get(""),
            "largest_client": max((n for c, n in who.items() if c), default=0),
            "trend": trend(topic.failed, topic.total("failed_cmp")),
            "zero": topic.total("zero"), "abandoned": topic.total("abandoned"), "bad": topic.total("bad"),
            "contact": topic.total("contact"),
            "queries": samples(topic) if by_client else
            [{"query": q, "count": n} for q, n in sorted(queries.items(), key=lambda kv: (-kv[1], kv[0]))[:6]],
            "all_queries": [{"query": q, "count": n}
                            for q, n in sorted(queries.items(), key=lambda kv: (-kv[1], kv[0]))[:ALL_QUERIES]],
            "typical": [m.label() for m in topic.typical()],
            "shared_words": [w for w, _ in topic.shared_words(surface)],
            "mentioned": mentioned(topic, normaliser.analyser, typed),
            "tightness": round(topic.tightness(), 3),
            "variants": len(queries), "wordings": len(topic.members),
            "why_grouped": [n["says"] for n in split_notes.get(id(topic), [])]  # first: the HTML shows 3
            + _explain(topic, vectors, surface) + _shown_steps(steps),
            "wording_keys": [" ".join(m.key) for m in topic.members],
            "merged_ids": [p.id for p in topic.parts[1:]],
        }
        found, sides = topic_found(topic, by_client), topic_found_clients(topic, by_client)
        if found is not None:
            row["found_counted"], row["found_clients"] = found, sides[1]
            row["spread"] = spread(topic)
        row.update(classifier.decide(topic, reached, weights[id(topic)], found, sides))
        if applied is not None and id(topic) in applied.notes:
            row["lead"] = applied.notes[id(topic)]
        cut = topic_split.note(topic, surface, topic_label)
        if cut is not None:  # a row of two needs the split pass cut (topic_split): it says so first
            row["split"] = cut
            row["why_grouped"] = [cut["says"]] + row["why_grouped"]
        why_not = unintelligible(topic, known, vouched) if row["status"] == "gap" else None
        if why_not:
            unclear[why_not].append(topic)
            continue
        {"filled": filled, "poor answer": poor}.get(row["status"], backlog).append(row)
        if row["status"] not in ("filled", "poor answer"):
            listed.append(topic)
    for rank, row in enumerate(backlog, 1):
        row["failed_rank"] = rank  # its place by evidence alone (before the repeat rule)
    apart = set()
    position = {t.id: i for i, t in enumerate(listed)}
    pairs = [(a, b) for a, b, _ in applied.apart] if applied is not None else []
    pairs += [(n["kept"], n["taken"]) for notes in split_notes.values() for n in notes[:1] if "taken" in n]
    pairs += [(t.id, t.split["other"].id) for t in listed if t.split is not None]
    for a, b in pairs:  # a lead's two needs, rows journeys or the split pass split: never repeats of each other
        if a in position and b in position:
            apart |= {(position[a], position[b]), (position[b], position[a])}
    near_setting = topic_evidence.NEIGHBOUR_REPEATS[kind]
    near = ((topic_order.neighbour_closeness(listed, wordings, matrix, int(near_setting[0]),
                                             topic_order.floor_of(near_setting)), float(near_setting[1]))
            if near_setting is not None else None)
    backlog = _repeats_last(backlog, listed, topic_evidence.REPEATS[kind], apart, topic_evidence.TWINS[kind],
                            topic_evidence.REPEATS_CREDIT[kind],
                            kept_apart_pairs(listed) if topic_evidence.KEPT_APART[kind] else None, near)
    for rank, row in enumerate(backlog, 1):
        row["rank"] = rank
    for row in backlog:
        for link in ("repeats", "twin_of"):
            if row.get(link):
                row[link]["rank"] = row[link].pop("row")["rank"]
        if row.get("with_repeats"):
            row["with_repeats"]["ranks"] = [r["rank"] for r in row["with_repeats"].pop("rows")]
    _remember(cache_dir, vectors.name, parts, earlier)
    noise += [m for t in unclear["gibberish"] + unclear["typos"] for m in t.members]
    noise_examples = sorted(noise, key=lambda w: (-w.failed, w.key))[:5]
    return {"clusters": backlog, "filled": filled, "poor_answers": poor,
            "lead_links": applied.links if applied is not None else [],
            "other_clusters": len(rest) + len(other),
            "other_failed": sum(t.failed for t in rest) + sum(w.failed for w in other),
            "noise": {"failed": sum(w.failed for w in noise), "wordings": len(noise),
                      "examples": [w.label() for w in noise_examples],
                      "topics": {k: len(v) for k, v in unclear.items()}},
            "grouped_with": {"vectors": vectors.name, "kind": kind, "threshold": GROUP_THRESHOLD[kind],
                             "merge_threshold": topic_evidence.MERGE_THRESHOLD[kind],
                             "item_threshold": ITEM_THRESHOLD[kind],
                             "repeats": topic_evidence.REPEATS[kind],
                             "twins": topic_evidence.TWINS[kind],
                             "repeats_credit": topic_evidence.REPEATS_CREDIT[kind],
                             "neighbours": topic_evidence.NEIGHBOURS[kind],
                             "kept_apart": topic_evidence.KEPT_APART[kind],
                             "neighbour_repeats": topic_evidence.NEIGHBOUR_REPEATS[kind],
                             "split": topic_evidence.SPLIT[kind],
                             "not_grouped_by_meaning": len(singles),
                             "embedded_now": getattr(vectors, "embedded", 0)},
            "replayed_with": getattr(replayer, "name", ""),
            "by_client": {"counted": by_client, "clients": clients_seen(wordings + singles + noise),
                          "per_client": PER_CLIENT}}
