"""The site's own client search index: small, prefix-sharded JSON files the browser fetches
per query word, so the search page answers without the service and without downloading a
whole-site index (Material's ``search_index.json`` is MBs on a big help centre).

Layout under ``<site>/search/carebase/``::

    meta.json      {"version", "items", "chunk", "split": [keys split to 3 letters], "shards": [keys],
                    "min_corrected": shortest word a did-you-mean corrects,
                    "kinds": {"article": n, ...}, "analyser": {rules for analyser.js},
                    "same": {row: first row} (a video chapter's row → its video's first row:
                    the counts count a video with its chapters once, same_items),
                    "rows": n (the shards' "r" are current; gone after an in-place update)}
    t-<key>.json   {"t": {term: [doc, weight, doc, weight, ...]}, "w": {term: display word},
                    (weight: BM25F's term-frequency part ×10, below 0 for a synonym's: weights_of;
                    a synonym group's phrase is a term of its stems spaced, "not connect")
                    "r": {doc: [id, kind, title, url, category, parent]}}   (the first rows of each
                    word the shard answers: one word's suggestions need no d-<n>.json; search_rows.py)
    f-<key>.json   {"f": {term: [items holding it in each of the service's fields]}}  (never fetched
                    by the browser: ``carebase serve``'s update in place weighs a changed item by
                    them, search_shards_update.py; in the term shards until format 4)
    d-<n>.json     [[id, kind, title, url, text, category, parent], ...]  (docs n*chunk … n*chunk+chunk-1;
                    parent: an FAQ question's FAQ page's title, a video chapter's video's, else "":
                    a result's path after its category, _parent)

Docs are numbered articles first, then FAQ questions, then videos and their chapters, so
``kinds`` gives each kind's range. ``carebase serve`` updates the index in place
(search_shards_update.py): a deleted item's rows become ``null``, new rows go after the last,
and meta.json then holds ``ranges`` ([[kind, first, end], ...]) and the live counts.

Terms are carebase's one analyser's (``carebase.text``: folding, stop words, stems), the one
of the catalogue's language (each language of a help centre has its own index, under
``search/carebase/<lang>/`` for the languages after the default); the browser applies the
same rules with ``analyser.js``, from the ``analyser`` entry of meta.json (with the word forms
that touch the index's terms: *frozen* is stemmed as *freeze*, carebase.text.forms). A term lives in the shard named by its first two letters, or by its
first three when the two-letter shard grew past ``MAX_SHARD_BYTES`` (terms of two letters stay
in the two-letter shard); terms in other scripts by their first character (``base_key``). A term found in more than ``MAX_POSTINGS`` items keeps the items
where it weighs most (a word that common ranks nothing on its own), and its shard's ``"n"``
says how many items hold it (``{term: [the word itself, with synonyms']}``), so the browser
weighs it by its true rarity, as the service does (counted from the capped postings until
session 34, a word in nearly every one of 10,000 items weighed 2.6 times its weight in the
service). The items past the cap stay unknown to the browser. Synonym groups from ``synonyms.yml`` add the other members' terms to
an item that mentions one of them, at a lower weight. ``meta.json`` also holds ``avgfl``, each
field's average length (the weights' length normalisation).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from math import log
from pathlib import Path

from carebase.content.model import Catalogue
from carebase.pages.search_rows import SUGGEST_ROWS, shard_rows
from carebase.search.analysis import SYNONYM_WEIGHT
from carebase.search.cutoff import client_rule
from carebase.search.schema import FIELD_BOOSTS, SEARCH_FIELDS, bm25f
from carebase.text import analyser_for
from carebase.text.separable import client_forms

#: the format of these files (format 4, session 38: each term's items per field moved from t-<key>.json's
#: "f" to f-<key>.json, which no browser fetches)
VERSION = 4
CHUNK = 100  # items per d-<n>.json
MAX_SHARD_BYTES = 48_000
MAX_POSTINGS = 2_000  # a term in more items keeps its best-weighted ones (counts are capped there)
TEXT_CHARS = 180  # text shown under a result
#: A term's weight in an item (×10 in the files, rounded, at least 1) is the term-frequency part of the
#: service's BM25F (carebase.search.schema: its fields, boosts, B and K1; Whoosh's quantised
#: field lengths), summed over the fields; search-index.js multiplies it by the term's idf
#: (from how many items hold the word itself), as the service multiplies each field's. Until
#: session 33 a term weighed its best field's fixed weight (title 4, keywords 3, headings 1.5,
#: summary 1.2, body 0.5, over the body's first 60 words): no idf, no term frequency, and the
#: client index's first result was the service's for 58 % of the relevance harness's queries.
SCALE = 10
#: An item that mentions a member of a synonym group also holds the group's other members'
#: terms, at this share of the member's weight: the service's synonym alternatives' weight
#: (carebase.search.analysis.SYNONYM_WEIGHT), one number for both.
SYNONYM_SHARE = SYNONYM_WEIGHT
LANGUAGE = "en"
ANALYSER = analyser_for(LANGUAGE)
stem = ANALYSER.stem


def words(text: str) -> list[str]:
    """The words of a text, folded, without stop words (not stemmed)."""
    return ANALYSER.words(text)


def terms(text: str) -> list[str]:
    return ANALYSER.terms(text)


def base_key(term: str) -> str:
    """A term's shard before splitting: its first two letters; for a term that does not
    start with two ASCII letters (Chinese, Cyrillic…), ``x`` and its first character's code
    point modulo 256 in hex (a few hundred shards rather than one per character pair)."""
    key = term[:2].replace("/", "_")  # a word joined by slashes ("o/b"): a file name's letters
    return key if key.isascii() else f"x{ord(term[0]) % 256:02x}"


def shard_key(term: str, split: set[str]) -> str:
    """The shard of a term; a synonym phrase's ("wi fi") is its first word's, where
    search-index.js looks it up (with that word)."""
    key, word = base_key(term), term.split(" ", 1)[0]
    return word[:3].replace("/", "_") if key in split and len(word) > 2 else key


def _item_text(record) -> str:
    """What a result shows under its title: an FAQ's answer, a chapter's words (none without a
    transcript: not its video's summary, the same for each of its chapters), else the summary."""
    if record.start >= 0:
        text = record.body
    elif record.kind == "faq":
        text = record.body or record.summary
    else:
        text = record.summary or record.body
    text = " ".join(text.split())
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _parent(record) -> str:
    """The title of what a record sits in, after its category (a result's path, as the search
    API's ``path``: routes_search.placed): an FAQ question's FAQ page (its ``headings``), a video
    chapter's video (its title before ": " and the chapter's own: records.video_records); ""
    for the others."""
    if record.kind == "faq":
        return record.headings
    if record.start >= 0 and record.headings and record.title.endswith(": " + record.headings):
        return record.title[: -len(record.headings) - 2]
    return ""


def build_search_shards(catalogue: Catalogue, out_dir: str | os.PathLike, *, category_title=None,
                        max_shard_bytes: int = MAX_SHARD_BYTES, source: Catalogue | None = None) -> dict:
    """Write the sharded index of every searchable item to ``out_dir``, analysed as the
    catalogue's language; return its meta. Over an index written before (``carebase serve``
    after a new or deleted article), each file is replaced whole, meta.json last, then the
    files the new index does not have are removed: a browser searching meanwhile never finds
    the index missing. (The build's own writes it with the search index, from the same
    analysis: ``ShardIndex``, ``carebase.search.index.write_records``.) ``source``: the default
    language's catalogue when ``catalogue`` holds translations (``records.with_source``)."""
    from carebase.search.records import catalogue_records

    shards = ShardIndex(catalogue, category_title)
    for rec in catalogue_records(catalogue, source):
        shards.add(rec)
    return shards.write(out_dir, max_shard_bytes)


class ShardIndex:
    """The client index of a catalogue, one record at a time (``add``), then ``write``.
    ``category_title``: slug → the title results show (None: the slug)."""

    def __init__(self, catalogue: Catalogue, category_title=None):
        self.analyser = analyser_for(catalogue.language or LANGUAGE)
        self.groups = self.analyser.synonyms(catalogue.synonyms)
        self.category_title = category_title
        self.postings: dict[str, dict[int, int]] = defaultdict(dict)
        self.display: dict[str, str] = {}
        self.forms: dict[str, dict[str, int]] = defaultdict(dict)  # term -> its words -> how often
        self.docs: list[list] = []
        self.kinds: dict[str, int] = defaultdict(int)
        self.fields: list[dict[str, tuple[dict[str, int], int]]] = []  # per item: field -> (term counts, length)

    def add(self, rec, found: dict[str, list[str]] | None = None) -> None:
        """One record; ``found``: the words of its fields when the caller has them already (the
        search index's analysis), else they are found here."""
        doc, fields = _entry(rec, self.analyser, self.display, self.category_title, found, self.forms, self.groups)
        self.docs.append(doc)
        self.kinds[rec.kind] += 1
        self.fields.append(fields)

    def write(self, out_dir: str | os.PathLike, max_shard_bytes: int = MAX_SHARD_BYTES) -> dict:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        before = {p.name for p in out.glob("*.json")}
        avgfl = average_lengths(self.fields)
        postings = self.postings
        field_df = field_counts(self.fields)
        cuts: dict[str, dict[int, int]] = defaultdict(dict)  # term -> doc -> its score as the service's (the cut)
        for n, fields in enumerate(self.fields):
            parts = field_parts(fields, avgfl)  # once an item: both weights read them
            for t, w in weights_of(fields, avgfl, self.groups, parts).items():
                postings[t][n] = w
            for t, c in cut_weights_of(fields, avgfl, self.groups, field_df, len(self.fields), parts).items():
                cuts[t][n] = c
        docs, display = self.docs, self.display
        # a term's display word (the did-you-mean shows it): its most frequent word in the help
        # centre ("refund" rather than the first one met, "refunds"), none when that is the term
        for t, words_of in self.forms.items():
            best = max(words_of, key=lambda w: (words_of[w], w == t))
            if best == t:
                display.pop(t, None)
            else:
                display[t] = best
        held = {}  # a capped term's items: [the word's own, with synonyms'] (search-index.js's idf, clause weight)
        for t, docs_of in postings.items():
            if len(docs_of) > MAX_POSTINGS:
                held[t] = held_counts(docs_of)
                best = sorted(docs_of.items(), key=lambda dw: (-dw[1], dw[0]))[:MAX_POSTINGS]
                postings[t] = dict(best)
        shards = _shards(postings, max_shard_bytes)
        split = sorted({k[:2] for k in shards if len(k) == 3})
        split_keys = set(split)
        key_of = lambda word: shard_key(word, split_keys)  # noqa: E731
        from carebase.search.spelling import MIN_CORRECTED_LENGTH

        # a German index: the verb forms whose joined base form is a term, in the verb's own shard
        # (the browser reads it for the verb's word anyway: search-index.js ``joined``)
        joins: dict[str, dict[str, str]] = defaultdict(dict)
        for looked_up, verb, base in client_forms(self.analyser, [t for t in postings if " " not in t]):
            joins[key_of(self.analyser.stem(verb))][looked_up] = base
        for key in joins:
            shards.setdefault(key, [])  # a verb no term shares its letters with: a shard of its forms alone
        words_only = {key: [t for t in keyed if " " not in t] for key, keyed in shards.items()}  # not phrases
        everyday = everyday_words(self.analyser, words_only, key_of, MIN_CORRECTED_LENGTH)
        for key, keyed in shards.items():
            payload = {"t": {t: [x for doc, w in sorted(postings[t].items()) for x in (doc, w)] for t in sorted(keyed)},
                       "w": {t: display[t] for t in sorted(keyed) if t in display},
                       "r": shard_rows(postings, words_only[key], key, split_keys, key_of, docs)}
            if everyday.get(key):
                payload["k"] = everyday[key]
            counts = {t: held[t] for t in sorted(keyed) if t in held}
            if counts:
                payload["n"] = counts
            if joins.get(key):
                payload["j"] = joins[key]
            # each posting's score as the service's BM25F gives it (search-index.js's strong rule),
            # in the postings' order
            payload["c"] = {t: [cuts[t].get(doc, 1) for doc in sorted(postings[t])] for t in sorted(keyed)}
            _write(out / f"t-{key}.json", payload)
            # each term's items per field, beside the shard (carebase serve weighs a changed item by
            # them: search_shards_update): no browser reads them, so no query fetches them
            _write(out / f"f-{key}.json", {"f": {t: [field_df.get(t, {}).get(f, 0) for f in SEARCH_FIELDS]
                                                 for t in sorted(keyed)}})
        for start in range(0, len(docs), CHUNK):
            _write(out / f"d-{start // CHUNK}.json", docs[start:start + CHUNK])
        meta = {"version": VERSION, "items": len(docs), "chunk": CHUNK, "split": split,
                "shards": sorted(shards), "kinds": dict(self.kinds),
                "analyser": self.analyser.client_rules([t for t in postings if " " not in t]),  # with these terms' word forms
                "min_corrected": MIN_CORRECTED_LENGTH,  # the service's did-you-mean rule: shorter words stay
                "avgfl": avgfl,  # each field's average length: carebase serve weighs a changed item by it
                "rows": SUGGEST_ROWS,  # the shards' "r" hold each word's first rows (search_rows.py)
                "strong": client_rule(),  # the service's strong rule's numbers (cutoff.py), for search-index.js
                "cut": 1,  # the shards' "c" and the f-* files: the service's scores for the rule (carebase serve keeps them)
                "same": same_items(docs)}  # a chapter's row → its video's first: one result (carebase.search.items)
        _write(out / "meta.json", meta)
        written = {"meta.json", *(f"t-{key}.json" for key in shards), *(f"f-{key}.json" for key in shards),
                   *(f"d-{start // CHUNK}.json" for start in range(0, len(docs), CHUNK))}
        for name in sorted(before - written):
            (out / name).unlink(missing_ok=True)
        return meta


def same_items(rows: list) -> dict[str, int]:
    """Each row of an item listed before (a video's chapters share its id) → that item's first
    row, as a JSON object; rows ``None`` (deleted in place) are skipped. search-index.js counts
    a video with its matching chapters as one result, as the search page lists it
    (carebase.search.items)."""
    first: dict[str, int] = {}
    same: dict[str, int] = {}
    for n, row in enumerate(rows):
        if row is None:
            continue
        at = first.setdefault(row[0], n)
        if at != n:
            same[str(n)] = at
    return same


def everyday_words(analyser, shards: dict[str, list[str]], key_of, min_corrected: int) -> dict[str, list[str]]:
    """Per shard, the everyday words of the language (``Analyser.is_ordinary``: "wife", "loft")
    that search-index.js would otherwise correct towards one of the shard's terms ("wire",
    "left"), sorted: the browser's copy of the service's rule (``analysis.analyse``: an everyday
    word is never corrected). Only those words are shipped, not the whole list: the browser's
    rule (a typed word's stem, looked up in its shard, corrected to a term of that shard with
    the same first letter within ``max_edits`` of the stem when it has ``min_corrected``
    letters) is applied here to each everyday word, through a delete table of the terms
    (~0.4 s of CPU for the demo's shards): once per process for the same terms."""
    digest = hashlib.sha256(json.dumps([analyser.language, min_corrected, sorted(shards.items())]).encode()).hexdigest()
    if digest not in _EVERYDAY:
        if len(_EVERYDAY) >= 8:
            _EVERYDAY.pop(next(iter(_EVERYDAY)))
        _EVERYDAY[digest] = _everyday_words(analyser, shards, key_of, min_corrected)
    return _EVERYDAY[digest]


_EVERYDAY: dict[str, dict[str, list[str]]] = {}


def _everyday_words(analyser, shards: dict[str, list[str]], key_of, min_corrected: int) -> dict[str, list[str]]:
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    starts = {key[:2] for key in shards}  # the stemmers only change a word's end: a stem of 4+ letters starts as it does
    for word in analyser.ordinary_words():
        if word[:2] not in starts:
            continue
        s = analyser.stem(word)
        if len(s) >= min_corrected:
            by_key[key_of(s)].append((word, s))
    found: dict[str, list[str]] = {}
    for key, keyed in shards.items():
        words = by_key.get(key)
        if not words:
            continue
        terms = set(keyed)
        table: dict[str, list[str]] = defaultdict(list)
        for term in keyed:
            for d in analyser.deletes(term, 2):
                table[d].append(term)
        near = []
        for word, s in words:
            if s in terms:
                continue
            most = analyser.max_edits(s)
            # s and t reach d by deleting (len(s) - len(d)) + (len(t) - len(d)) letters: within
            # ``most`` edits of each other then, else their distance says
            if any(t[0] == s[0] and (len(s) + len(t) - 2 * len(d) <= most or analyser.distance(s, t, most) <= most)
                   for d in analyser.deletes(s, most) if d in table for t in table[d]):
                near.append(word)
        if near:
            found[key] = near
    return {key: sorted(words) for key, words in found.items()}


def held_counts(docs_of: dict[int, int]) -> list[int]:
    """[items holding the word itself (weight above 0), items holding it or a synonym's]."""
    return [sum(1 for w in docs_of.values() if w > 0), len(docs_of)]


def _entry(rec, analyser, display: dict[str, str], category_title=None,
           found: dict[str, list[str]] | None = None,
           forms: dict[str, dict[str, int]] | None = None,
           groups=None) -> tuple[list, dict[str, tuple[dict[str, int], int]]]:
    """A record's row in the d-<n>.json files and, per field of the service's (title, keywords,
    headings, body), its terms' counts and the field's length (``display`` gets the display word
    of each stemmed term; ``found``: words of fields found already), with, for each phrase of a
    synonym group in ``groups`` ("not connecting"), how often its words follow each other
    there (``phrase_key``: what the service's phrase query matches)."""
    phrases: dict[str, list[tuple[str, ...]]] = defaultdict(list)  # first stem -> the phrases it starts
    for members in (groups.groups if groups is not None else ()):
        for m in members:
            if len(m) > 1 and m not in phrases[m[0]]:
                phrases[m[0]].append(m)
    words, stem = analyser.words, analyser.stem
    category = category_title(rec.category) if category_title and rec.category else rec.category
    doc = [rec.id, rec.kind, rec.title, rec.url, _item_text(rec), category or "", _parent(rec)]
    fields: dict[str, tuple[dict[str, int], int]] = {}
    for name in SEARCH_FIELDS:
        text = getattr(rec, name)
        if not text:
            continue
        field_words = found[name] if found is not None and name in found else words(text)
        counts: dict[str, int] = {}
        for w in field_words:
            t = stem(w)
            if t != w:
                display.setdefault(t, w)
            if forms is not None:
                forms[t][w] = forms[t].get(w, 0) + 1
            counts[t] = counts.get(t, 0) + 1
        if phrases:
            field_stems = [stem(w) for w in field_words]
            for i, t in enumerate(field_stems):
                for m in phrases.get(t, ()):
                    if tuple(field_stems[i:i + len(m)]) == m:
                        counts[phrase_key(m)] = counts.get(phrase_key(m), 0) + 1
        if counts:
            fields[name] = (counts, len(field_words))
    return doc, fields


def average_lengths(items: list[dict[str, tuple[dict[str, int], int]]]) -> dict[str, float]:
    """Each field's average length over the items (an item without it counts 0, as Whoosh's)."""
    n = len(items) or 1
    return {f: sum(fields[f][1] for fields in items if f in fields) / n for f in SEARCH_FIELDS}


def phrase_key(member: tuple[str, ...]) -> str:
    """A synonym phrase's entry among a field's term counts (``_entry``): its stems, spaced."""
    return " ".join(member)


def field_parts(fields: dict[str, tuple[dict[str, int], int]], avgfl: dict[str, float]) -> dict[str, dict[str, float]]:
    """An item's terms' BM25F term-frequency part in each field (the service's boosts, B, K1 and
    quantised lengths): term → field → part."""
    from whoosh.util.numeric import byte_to_length, length_to_byte

    model = bm25f()
    parts: dict[str, dict[str, float]] = {}
    for name, (counts, length) in fields.items():
        b = model._field_B.get(name, model.B)
        norm = model.K1 * ((1 - b) + b * byte_to_length(length_to_byte(length)) / (avgfl.get(name) or 1))
        for t, count in counts.items():
            tf = count * FIELD_BOOSTS[name]
            parts.setdefault(t, {})[name] = tf * (model.K1 + 1) / (tf + norm)
    return parts


def field_idf(items: int, df: int) -> float:
    """Whoosh's idf of a term in one field (``whoosh.scoring.WeightingModel.idf``: the field's
    document frequency), as the service's BM25F weighs each field (``impact._scored``)."""
    return log(items / (df + 1)) + 1


def synonym_alternatives(scores: dict[str, float], groups):
    """(term, score) for each member of each synonym group the item mentions: its best other
    member's score (``scores``) at ``SYNONYM_SHARE`` (the service's best alternative of a word:
    BestOf). A member phrase ("not connecting") counts where its words follow each other (its own
    count under ``phrase_key``, ``_entry``), as the service's phrase query: not "not" and
    "connect" anywhere in the item. The service adds a group to a query's phrase only when the
    whole phrase is typed, in its first word's clause, the other words scoring on their own;
    search-index.js does the same. Until session 34 a phrase was its first word's term: "not"
    alone matched every item saying "offline", and "heating" every item saying "boiler" (member
    "heating system"), which the service's "not" and "heating" do not. The callers keep a
    member's score where it is more than this."""
    for members in groups.groups:
        found = [(scores[phrase_key(m)] if len(m) > 1 else scores[m[0]], m) for m in members
                 if (phrase_key(m) if len(m) > 1 else m[0]) in scores]
        for m in members:
            yield (phrase_key(m) if len(m) > 1 else m[0]), \
                SYNONYM_SHARE * max((w for w, other in found if other != m), default=0.0)


def cut_weights_of(fields: dict[str, tuple[dict[str, int], int]], avgfl: dict[str, float], groups,
                   field_df: dict[str, dict[str, int]], items: int,
                   parts: dict[str, dict[str, float]] | None = None) -> dict[str, int]:
    """An item's terms' scores as the service's BM25F gives them (``SCALE``, rounded, at least 1):
    each field's term-frequency part times the term's idf **in that field** (``field_df``: term →
    field → items holding it there; ``items``: the index's items), summed; a synonym group's
    other members at ``SYNONYM_SHARE`` of the best member's score where that is more (the
    service's best alternative of a word, each member with its own idf). search-index.js decides
    the strong matches by these (``cutoff.py``'s rule on the service's own scores), and orders by
    its own weights (``weights_of``, each term's idf over whole items). ``parts``: the item's
    ``field_parts``, when the caller has them already."""
    parts = field_parts(fields, avgfl) if parts is None else parts

    def score(t: str, f: str) -> float:
        return parts[t][f] * field_idf(items, field_df.get(t, {}).get(f, 0))
    # a synonym phrase ("exchang rate") scores, in each field it stands in, its words' own scores
    # summed: Whoosh's phrase matcher is the intersection of its words' term matchers
    scores = {t: sum(score(t, f) if " " not in t else sum(score(w, f) for w in t.split(" ") if f in parts.get(w, {}))
                     for f in per) for t, per in parts.items()}
    out = dict(scores)
    for t, best in synonym_alternatives(scores, groups):
        if best > out.get(t, 0.0):
            out[t] = best
    return {t: max(1, round(SCALE * w)) for t, w in out.items()}


def field_counts(items: list[dict[str, tuple[dict[str, int], int]]]) -> dict[str, dict[str, int]]:
    """term → field → how many items hold it in that field (Whoosh's document frequency per field)."""
    df: dict[str, dict[str, int]] = defaultdict(dict)
    for fields in items:
        for name, (counts, _length) in fields.items():
            for t in counts:
                df[t][name] = df[t].get(name, 0) + 1
    return df


def weights_of(fields: dict[str, tuple[dict[str, int], int]], avgfl: dict[str, float], groups,
               parts: dict[str, dict[str, float]] | None = None) -> dict[str, int]:
    """An item's terms' weights (``SCALE``): BM25F's term-frequency part in each field (the
    service's boosts, B, K1 and quantised lengths; the idf is the browser's), summed; then the
    other members of each synonym group the item mentions, at ``SYNONYM_SHARE`` of its best
    member's weight, written below 0: search-index.js takes their size, and leaves them out of
    the term's idf (the service's idf counts the items that hold the word itself). ``parts``:
    the item's ``field_parts``, when the caller has them already."""
    parts = field_parts(fields, avgfl) if parts is None else parts
    scores: dict[str, float] = {t: sum(per.values()) for t, per in parts.items()}
    extra: dict[str, float] = {}
    for t, best in synonym_alternatives(scores, groups):
        if best > max(scores.get(t, 0.0), extra.get(t, 0.0)):
            extra[t] = best
    out = {t: max(1, round(SCALE * w)) for t, w in scores.items()}
    # below 0: a synonym's weight for an item without the word (left out of the word's idf)
    out.update((t, max(1, round(SCALE * w)) * (1 if t in scores else -1)) for t, w in extra.items())
    return out


def _shards(postings: dict[str, dict[int, int]], max_bytes: int) -> dict[str, list[str]]:
    by_two: dict[str, list[str]] = defaultdict(list)
    for t in postings:
        by_two[base_key(t)].append(t)
    shards: dict[str, list[str]] = {}
    for key, group in by_two.items():
        size = sum(len(t) + 8 + sum(len(str(d)) + len(str(w)) + 2 for d, w in postings[t].items()) for t in group)
        if size <= max_bytes or key.startswith("x"):
            shards[key] = group
            continue
        for t in group:  # a synonym phrase goes with its first word
            shards.setdefault(shard_key(t, {key}), []).append(t)
    return shards


def _write(path: Path, data) -> None:
    """``path`` replaced whole (a reader never sees half a file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)
