"""Missing content: failed searches, grouped into explainable clusters, replayed now.

A search failed when it showed no results, when its results were never clicked (in a
known journey), or when the click was followed by a "No" vote or by "contact support".
Queries are grouped by ``Normaliser`` keys; each cluster is replayed against the
current content and classified:

* ``gap``          no current item covers it: write an article;
* ``findability``  an item answers it but under other words (customers reached it
                   after another search, or only its body mentions the words): add
                   the customers' words to its ``keywords:`` or a synonyms group;
* ``poor answer``  the item is found but customers say it does not help (see failing);
* ``filled``       the current content now covers every word in a result's title,
                   summary, keywords or tags: listed apart, not in the backlog.
"""

from __future__ import annotations

import itertools
from collections import Counter
from difflib import SequenceMatcher
from dataclasses import dataclass, field

from carebase.report.failing import item_location, item_url
from carebase.report.normalise import STOP_WORDS, Normaliser, fold, words
from carebase.report.journeys import SearchRow
from carebase.report.queries import CMP, CUR
from carebase.report.replay import body_text, headline_text

MAX_CLUSTERS = 300  # clusters replayed and explained (the rest are counted as "other")
EVIDENCE_SHARE = 0.25  # share of failed journeys that reached one item to call it the answer
EVIDENCE_MIN = 3
FOLLOW_WORDINGS = 20  # most frequent wordings per cluster whose journeys are followed
MOSTLY_FOUND = 0.5  # a cluster whose searches mostly succeed is not missing content


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

    def label(self) -> str:
        """The most frequent wording without a typo (else the most frequent)."""
        merged: Counter = Counter()
        for query, n in self.queries.items():
            if query not in self.typos:
                merged[" ".join(query.lower().split())] += n
        if not merged:
            merged = Counter({" ".join(q.lower().split()): n for q, n in self.queries.items()})
        return min(merged.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def learn_words(normaliser: Normaliser, rows: list[SearchRow]) -> None:
    counts: Counter = Counter()
    for row in rows:
        folded, _ = normaliser.synonym_text(fold(row.query))
        for word in folded.split():
            if word not in STOP_WORDS:
                counts[word] += row.searches
    normaliser.learn(counts)


def cluster_queries(normaliser: Normaliser, rows: list[SearchRow]) -> dict[tuple, Cluster]:
    clusters: dict[tuple, Cluster] = {}
    cache: dict[str, object] = {}
    for row in rows:
        if not row.query.strip():
            continue
        analysis = cache.get(row.query)
        if analysis is None:
            analysis = cache[row.query] = normaliser.analyse(row.query)
        cluster = clusters.get(analysis.key)
        if cluster is None:
            cluster = clusters[analysis.key] = Cluster(analysis.key)
        if row.bucket == CMP:
            cluster.failed_cmp += row.failed
            continue
        cluster.searches += row.searches
        if not row.failed:
            continue
        cluster.failed += row.failed
        cluster.zero += row.zero
        cluster.abandoned += row.abandoned
        cluster.bad += row.bad
        cluster.contact += row.contact
        cluster.queries[row.query] += row.failed
        if any(step.startswith("typo:") for step in analysis.steps):
            cluster.typos.add(row.query)
        for step in analysis.steps:
            cluster.steps[step] += row.failed
    merge_contained(clusters)
    return {k: c for k, c in clusters.items() if c.failed > 0}


def merge_contained(clusters: dict[tuple, Cluster]) -> None:
    """A query that contains a whole other cluster (“how to turn on dark mode” ⊃ “dark
    mode”) joins the biggest such cluster, if that one has at least two words."""
    for key in sorted(clusters, key=lambda k: (-len(k), k)):
        if len(key) < 3 or len(key) > 8:
            continue
        best = None
        for size in range(len(key) - 1, 1, -1):
            for sub in itertools.combinations(key, size):
                other = clusters.get(sub)
                if other is not None and (best is None or (other.failed, other.searches) > (best.failed, best.searches)):
                    best = other
            if best is not None:
                break
        if best is None:
            continue
        cluster = clusters.pop(key)
        best.failed += cluster.failed
        best.failed_cmp += cluster.failed_cmp
        for name in ("searches", "zero", "abandoned", "bad", "contact"):
            setattr(best, name, getattr(best, name) + getattr(cluster, name))
        best.queries.update(cluster.queries)
        best.typos |= cluster.typos
        best.steps.update(cluster.steps)
        best.steps[f"contains “{' '.join(best.key)}”: extra words folded in"] += cluster.failed


def trend(current: int, previous: int) -> dict:
    if previous == 0:
        return {"previous": 0, "change": None, "label": "new" if current else "–"}
    change = (current - previous) / previous
    return {"previous": previous, "change": round(change, 3), "label": f"{change:+.0%}"}


class Classifier:
    def __init__(self, catalogue, normaliser: Normaliser, replayer, links):
        self.catalogue = catalogue
        self.normaliser = normaliser
        self.replayer = replayer
        self.links = links
        self._stems: dict[str, tuple[set, set]] = {}

    def stems(self, item) -> tuple[set, set]:
        if item.id not in self._stems:
            head = self.normaliser.stems_of(headline_text(item))
            body = self.normaliser.stems_of(body_text(item)) | head
            self._stems[item.id] = (head, body)
        return self._stems[item.id]

    def item_ref(self, item, **extra) -> dict:
        path, line, category = item_location(self.catalogue, item)
        return {"id": item.id, "kind": item.kind, "title": item.title, "url": item_url(item),
                "category": category, "source": self.links.source(path, line), **extra}

    def replay(self, cluster: Cluster) -> dict:
        """First look, without journeys: the replay's hits and whether the current content
        already answers the cluster (``decided`` holds the status then)."""
        key = set(cluster.key)
        hits = []
        for item_id, score in self.replayer.search(cluster.label(), limit=5):
            item = self.catalogue.get(item_id)
            if item is not None and all(h[0].id != item.id for h in hits):
                hits.append((item, score))
        covered = next((item for item, _ in hits[:3] if key <= self.stems(item)[0]), None)
        result: dict = {"replay": [self.item_ref(item, score=round(score, 3)) for item, score in hits[:3]],
                        "_hits": hits}
        if cluster.failed < MOSTLY_FOUND * cluster.searches and hits:
            result.update(status="filled", closest=self.item_ref(hits[0][0]),
                          action=f"Most of these searches succeed ({cluster.searches - cluster.failed} of {cluster.searches})")
        elif covered is not None and cluster.bad + cluster.contact >= 0.5 * cluster.failed:
            result.update(status="poor answer", closest=self.item_ref(covered),
                          action=f"Customers find “{covered.title}” but it does not solve it: see failing content")
        elif covered is not None:
            result.update(status="filled", closest=self.item_ref(covered),
                          action=f"Answered by “{covered.title}” in the current content")
        return result

    def classify(self, cluster: Cluster, first: dict, follow: dict[str, Counter]) -> dict:
        """Gap or findability gap, for a cluster the current content does not answer."""
        key = set(cluster.key)
        hits = first["_hits"]
        reached: Counter = Counter()
        partners: dict[str, Counter] = {}
        for query in cluster.queries:
            for (item_id, next_query), n in follow.get(query, {}).items():
                item = self.catalogue.get(item_id)
                if item is not None:
                    reached[item.id] += n
                    if next_query:
                        partners.setdefault(item.id, Counter())[next_query] += n
        result = {"replay": first["replay"]}
        if reached:
            item_id, n = min(reached.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= EVIDENCE_MIN and n >= EVIDENCE_SHARE * cluster.failed:
                item = self.catalogue.get(item_id)
                result.update(self._findability(cluster, item, f"{n} of {cluster.failed} failed searches went on to it",
                                                partners.get(item.id, Counter())))
                return result
        body_hit = next((item for item, _ in hits[:3] if key <= self.stems(item)[1]), None)
        if body_hit is not None:
            result.update(self._findability(cluster, body_hit, "its text mentions every word, its title and keywords do not",
                                            Counter()))
        else:
            result.update(self._gap(cluster, cluster.label(), hits))
        return result

    def _customer_words(self, cluster: Cluster, item) -> list[str]:
        head = self.stems(item)[0]
        missing = []
        for query, _ in cluster.queries.most_common():
            analysis = self.normaliser.analyse(query)
            if any(s not in head for s in analysis.key):
                phrase = " ".join(w for w in words(query) if w not in STOP_WORDS
                                  and self.normaliser.corrections.get(w, w) == w)
                if phrase and phrase not in missing:
                    missing.append(phrase)
            if len(missing) >= 3:
                break
        return missing

    def _findability(self, cluster: Cluster, item, why: str, partners: Counter) -> dict:
        phrases = self._customer_words(cluster, item)
        keywords = list(item.keywords) + [p for p in phrases if p not in item.keywords]
        change = "keywords: [" + ", ".join(keywords) + "]"
        synonyms = []
        if phrases and partners:
            # the word of the follow-up searches that best matches the customer's own word
            head = self.stems(item)[0]
            pool: Counter = Counter()
            for query, n in partners.items():
                for w in words(query):
                    if w not in STOP_WORDS and self.normaliser.stems_of(w) <= head and w not in phrases[0].split():
                        pool[w] += n
            if pool:
                best = max(pool, key=lambda w: (SequenceMatcher(None, phrases[0], w).ratio(), pool[w], w))
                synonyms = [phrases[0], best]
        where = "the question's" if item.kind == "faq" else "the front matter's"
        action = f"Customers say “{phrases[0] if phrases else cluster.queries.most_common(1)[0][0]}”, " \
                 f"“{item.title}” does not: add it to {where} keywords"
        return {"status": "findability", "closest": self.item_ref(item, why=why), "action": action,
                "suggestion": {"keywords": change, "synonyms": synonyms, "customer_words": phrases}}

    def _gap(self, cluster: Cluster, sample: str, hits) -> dict:
        title = sample.strip()
        title = title[:1].upper() + title[1:]
        closest = None
        category = ""
        if hits:
            item = hits[0][0]
            shared = sorted(set(cluster.key) & self.stems(item)[1])
            closest = self.item_ref(item, why=("shares “" + ", ".join(shared) + "”") if shared else "nearest match")
            category = closest["category"]
        slug = "-".join(fold(" ".join(w for w in words(sample) if w not in STOP_WORDS)).split())[:60] or "new-article"
        new_path = f"{category}/{slug}.md" if category else f"{slug}.md"
        variants = [q for q, _ in cluster.queries.most_common(4)]
        return {"status": "gap", "closest": closest, "action": f"Write an article about “{title}”",
                "suggestion": {"path": new_path, "title": title, "keywords": variants,
                               "href": self.links.href(new_path)}}


def missing_section(catalogue, rows: list[SearchRow], normaliser: Normaliser, replayer, links,
                    follow_on, *, min_searches: int = 3) -> dict:
    """``follow_on(queries) -> {query: {(item id, next query): journeys}}`` (queries.follow_on_clicks).
    Clusters with fewer than ``min_searches`` failed searches are only counted."""
    learn_words(normaliser, [r for r in rows if r.bucket == CUR] or rows)
    clusters = sorted(cluster_queries(normaliser, rows).values(),
                      key=lambda c: (-c.failed, -c.searches, c.key))
    big = [c for c in clusters if c.failed >= min_searches]
    top, rest = big[:MAX_CLUSTERS], big[MAX_CLUSTERS:] + [c for c in clusters if c.failed < min_searches]
    classifier = Classifier(catalogue, normaliser, replayer, links)
    first = {cluster.key: classifier.replay(cluster) for cluster in top}
    open_clusters = [c for c in top if "status" not in first[c.key]]
    wordings = [q for c in open_clusters for q, _ in c.queries.most_common(FOLLOW_WORDINGS)]
    follow = follow_on(wordings) if wordings else {}
    backlog, filled, poor = [], [], []
    for cluster in top:
        row = {
            "key": " ".join(cluster.key), "label": cluster.label(),
            "failed": cluster.failed, "searches": cluster.searches, "trend": trend(cluster.failed, cluster.failed_cmp),
            "zero": cluster.zero, "abandoned": cluster.abandoned, "bad": cluster.bad, "contact": cluster.contact,
            "queries": [{"query": q, "count": n} for q, n in sorted(cluster.queries.items(), key=lambda kv: (-kv[1], kv[0]))[:6]],
            "variants": len(cluster.queries),
            "why_grouped": [s for s, _ in cluster.steps.most_common(5)],
        }
        decided = first[cluster.key]
        if "status" in decided:
            row.update({k: v for k, v in decided.items() if not k.startswith("_")})
        else:
            row.update(classifier.classify(cluster, decided, follow))
        {"filled": filled, "poor answer": poor}.get(row["status"], backlog).append(row)
    for rank, row in enumerate(backlog, 1):
        row["rank"] = rank
    return {"clusters": backlog, "filled": filled, "poor_answers": poor, "other_clusters": len(rest),
            "other_failed": sum(c.failed for c in rest), "replayed_with": getattr(replayer, "name", "")}
