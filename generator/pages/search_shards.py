"""The site's own client search index: small, prefix-sharded JSON files the browser fetches
per query word, so the search page answers without the service and without downloading a
whole-site index (Material's ``search_index.json`` is MBs on a big help centre).

Layout under ``<site>/search/carebase/``::

    meta.json      {"version", "items", "chunk", "split": [keys split to 3 letters], "shards": [keys],
                    "kinds": {"article": n, ...}}
    t-<key>.json   {"t": {term: [doc, weight, doc, weight, ...]}, "w": {term: display word}}
    d-<n>.json     [[id, kind, title, url, text, category], ...]  (docs n*chunk … n*chunk+chunk-1)

Terms are normalised and lightly stemmed by ``terms()``; ``search.js`` applies the same rules
(keep the two in step). A term lives in the shard named by its first two letters, or by its
first three when the two-letter shard grew past ``MAX_SHARD_BYTES`` (terms of two letters stay
in the two-letter shard). A term found in more than ``MAX_POSTINGS`` items keeps the items
where it weighs most (a word that common ranks nothing on its own). Synonym groups from ``synonyms.yml`` add the other members' terms to
an item that mentions one of them, at a lower weight.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from carebase.content.model import Catalogue

VERSION = 1
CHUNK = 100  # items per d-<n>.json
MAX_SHARD_BYTES = 48_000
MAX_POSTINGS = 2_000  # a term in more items keeps its best-weighted ones (counts are capped there)
BODY_WORDS = 60  # first words of an item's body that are indexed
TEXT_CHARS = 180  # text shown under a result
# field weights (×10 in the files): title, keywords/tags, headings, summary, synonyms, body
WEIGHTS = {"title": 40, "keywords": 30, "headings": 15, "summary": 12, "synonyms": 20, "body": 5}
STOP = frozenset(
    "a an and are as at be but by can do does for from how i if in into is it its me my no not of on or "
    "our so that the their then there these they this to was we what when where which who why will with "
    "you your".split()
)
_SPLIT = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents (``Café`` → ``cafe``) or apostrophes (``won't`` → ``wont``,
    as customers type it)."""
    if text.isascii():
        return text.lower().replace("'", "")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("'", "").replace("\u2019", "")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer (plurals, -ing, -ed, final e) that search.js mirrors."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    cut = False
    if len(w) > 5 and w.endswith("ing"):
        w, cut = w[:-3], True
    elif len(w) > 4 and w.endswith("ed"):
        w, cut = w[:-2], True
    if cut and len(w) > 2 and w[-1] == w[-2] and w[-1] not in "sz":
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    """The words of a text, folded, without stop words (not stemmed)."""
    return [w for w in _SPLIT.split(fold(text)) if len(w) > 1 and w not in STOP]


def terms(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def shard_key(term: str, split: set[str]) -> str:
    key = term[:2]
    return term[:3] if key in split and len(term) > 2 else key


def _synonym_phrases(groups) -> list[list[str]]:
    return [[" ".join(words(p)) for p in group] for group in groups]


def _synonym_terms(phrase_groups, text: str) -> list[str]:
    folded = " " + " ".join(words(text)) + " "
    extra: list[str] = []
    for phrases in phrase_groups:
        if any(p and f" {p} " in folded for p in phrases):
            for p in phrases:
                extra.extend(stem(w) for w in p.split())
    return extra


def _item_text(record) -> str:
    """What a result shows under its title: an FAQ's answer, a chapter's words, else the summary."""
    own = record.kind == "faq" or record.start >= 0
    text = (record.body or record.summary) if own else (record.summary or record.body)
    text = " ".join(text.split())
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def build_search_shards(catalogue: Catalogue, out_dir: str | os.PathLike, *, category_title=None,
                        max_shard_bytes: int = MAX_SHARD_BYTES) -> dict:
    """Write the sharded index of every searchable item to ``out_dir``; return its meta."""
    from carebase.search.records import catalogue_records

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    display: dict[str, str] = {}
    docs: list[list] = []
    kinds: dict[str, int] = defaultdict(int)
    groups = _synonym_phrases([g for g in catalogue.synonyms if len(g) > 1])
    for n, rec in enumerate(catalogue_records(catalogue)):
        category = category_title(rec.category) if category_title and rec.category else rec.category
        docs.append([rec.id, rec.kind, rec.title, rec.url, _item_text(rec), category or ""])
        kinds[rec.kind] += 1
        body = " ".join(rec.body.split()[:BODY_WORDS])
        fields = {"title": rec.title, "keywords": rec.keywords, "headings": rec.headings,
                  "summary": rec.summary, "body": body}
        shared = rec.kind == "faq"  # an FAQ question's summary/heading are its group's
        weights: dict[str, int] = {}
        for name, text in fields.items():
            if not text:
                continue
            weight = WEIGHTS["body"] if shared and name in ("summary", "headings") else WEIGHTS[name]
            for w in words(text):
                t = stem(w)
                if t != w:
                    display.setdefault(t, w)
                if weights.get(t, 0) < weight:
                    weights[t] = weight
        for t in _synonym_terms(groups, " ".join((rec.title, rec.keywords, rec.summary, body))):
            weights.setdefault(t, WEIGHTS["synonyms"])
        for t, w in weights.items():
            postings[t][n] = w
    for t, docs_of in postings.items():
        if len(docs_of) > MAX_POSTINGS:
            best = sorted(docs_of.items(), key=lambda dw: (-dw[1], dw[0]))[:MAX_POSTINGS]
            postings[t] = dict(best)
    shards = _shards(postings, max_shard_bytes)
    split = sorted({k[:2] for k in shards if len(k) == 3})
    for key, keyed in shards.items():
        payload = {"t": {t: [x for doc, w in sorted(postings[t].items()) for x in (doc, w)] for t in sorted(keyed)},
                   "w": {t: display[t] for t in sorted(keyed) if t in display}}
        _write(out / f"t-{key}.json", payload)
    for start in range(0, len(docs), CHUNK):
        _write(out / f"d-{start // CHUNK}.json", docs[start:start + CHUNK])
    meta = {"version": VERSION, "items": len(docs), "chunk": CHUNK, "split": split,
            "shards": sorted(shards), "kinds": dict(kinds)}
    _write(out / "meta.json", meta)
    return meta


def _shards(postings: dict[str, dict[int, int]], max_bytes: int) -> dict[str, list[str]]:
    by_two: dict[str, list[str]] = defaultdict(list)
    for t in postings:
        by_two[t[:2]].append(t)
    shards: dict[str, list[str]] = {}
    for key, group in by_two.items():
        size = sum(len(t) + 8 + 9 * len(postings[t]) for t in group)
        if size <= max_bytes:
            shards[key] = group
            continue
        for t in group:
            shards.setdefault(t[:3] if len(t) > 2 else key, []).append(t)
    return shards


def _write(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
