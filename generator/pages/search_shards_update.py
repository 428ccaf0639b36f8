"""The site search's client index (search_shards.py) updated in place by ``carebase serve``
after a save: only the term shards whose postings change and the item chunks of the changed
rows are written again, meta.json last, so a browser opening the index meanwhile finds every
row a shard names.

Rows keep their numbers: a deleted item's rows become ``null`` (no posting names them), a new
item's rows — and those of an item whose records changed (a video's chapters) — go after the
last row, and meta.json holds ``ranges`` (each kind's rows, for search-index.js) with the live
``items`` and ``kinds``. The next full build numbers everything again in the catalogue's order.
The shard split and the capped postings of very common terms stay as the last full build
chose them; a shard left without terms is removed. The rows a full build put in each shard
for suggestions (search_rows.py) are not kept current: meta.json no longer says ``rows``, so
the browser reads every row from the item chunks until the next full build. The word forms in
meta.json's analyser rules (carebase.text.forms) are those of the updated index's terms, as a
full build writes them.

An update reads each file it needs once: the f-<key>.json files the changed terms' counts are
read from are the ones it then rewrites (their terms in order: the bytes a full build of the
same content writes), and the term shards it rewrites are the ones the word forms are looked
up in. This module reads ``search_shards``' names through the module, as they
are when it runs (its cap, its format, its writers), never copies taken at import.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

from carebase.content.model import Catalogue
from carebase.pages import search_shards
from carebase.search.schema import SEARCH_FIELDS
from carebase.text import analyser_for

KINDS = ("article", "faq", "video")


def update_search_shards(old: Catalogue, new: Catalogue, out_dir: str | os.PathLike, *, saved=(), added=(),
                         gone=(), category_title=None) -> bool:
    """Update the index in ``out_dir``, written for ``old``, to ``new``: the items (articles,
    FAQ files, videos, by id) ``saved`` again, ``added`` and ``gone``. False (nothing written)
    when the index is not one this can update: build it whole."""
    out = Path(out_dir)
    try:
        meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
        ranges = [list(r) for r in meta.get("ranges") or _ranges(meta["kinds"])]
        chunk = meta["chunk"]
        total = ranges[-1][2] if ranges else 0
        docs = [row for n in range(-(-total // chunk))
                for row in json.loads((out / f"d-{n}.json").read_text(encoding="utf-8"))]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return False
    saved, added, gone = list(dict.fromkeys(saved)), list(dict.fromkeys(added)), list(dict.fromkeys(gone))
    before = _item_records(old, {*saved, *gone})
    after = _item_records(new, {*saved, *added})
    if meta.get("version") != search_shards.VERSION or not meta.get("cut") or len(docs) != total or \
            before.keys() != {*saved, *gone} or after.keys() != {*saved, *added}:
        return False
    placed = _placed(docs, {i: before[i] for i in (*saved, *gone)})
    if placed is None:
        return False
    analyser = analyser_for(new.language or search_shards.LANGUAGE)
    groups = analyser.synonyms(new.synonyms)
    avgfl = meta.get("avgfl") or {}  # the last full build's average field lengths

    # each term's items per field (the f-<key>.json files: the service's idf in each field), moved by the
    # changed records; the new and saved records' fields, for their scores as the service's
    moved: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    weighed_now: dict[int, dict] = {}

    def _weighed(record, display, n=None, sign=0):
        """The record's row and its terms' weights (search_shards.weights_of); ``sign``: +1 for a
        record now in the index (row ``n``), -1 for one it held before."""
        row, fields = search_shards._entry(record, analyser, display, category_title, groups=groups)
        for name, (counts, _length) in fields.items():
            for t in counts:
                moved[t][name] += sign
        if sign > 0:
            weighed_now[n] = fields
        return row, search_shards.weights_of(fields, avgfl, groups)
    split = set(meta["split"])
    kinds = defaultdict(int, meta["kinds"])
    display: dict[str, str] = {}
    rows: dict[int, list | None] = {}
    # shard -> term -> doc -> (weight before, weight now); None: not held
    changes: dict[str, dict[str, dict[int, tuple[int | None, int | None]]]] = defaultdict(lambda: defaultdict(dict))

    def change(n: int, was: dict, now: dict) -> None:
        for t in was.keys() | now.keys():
            if was.get(t) != now.get(t):
                changes[search_shards.shard_key(t, split)][t][n] = (was.get(t), now.get(t))

    removed, appended = [], []
    for item in saved:
        if [r.key for r in before[item]] != [r.key for r in after[item]]:
            removed.append(item)
            appended.append(item)
            continue
        for n, was_record, now_record in zip(placed[item], before[item], after[item]):
            _, was = _weighed(was_record, {}, sign=-1)
            rows[n], now = _weighed(now_record, display, n, 1)
            change(n, was, now)
    for item in (*removed, *gone):
        for n, record in zip(placed[item], before[item]):
            change(n, _weighed(record, {}, sign=-1)[1], {})
            rows[n] = None
            kinds[record.kind] -= 1
    live = {row[0] for n, row in enumerate(docs) if row is not None and rows.get(n, row) is not None}
    if any(r.id in live for item in added for r in after[item]):
        return False  # an id a row still holds
    for item in (*appended, *added):
        for record in after[item]:
            n = total
            total += 1
            rows[n], now = _weighed(record, display, n, 1)
            change(n, {}, now)
            kinds[record.kind] += 1
            if ranges and ranges[-1][0] == record.kind and ranges[-1][2] == n:
                ranges[-1][2] = total
            else:
                ranges.append([record.kind, n, total])
    for n in sorted({n // chunk for n in rows}):  # the rows first: a shard never names a row not there
        part = docs[n * chunk:(n + 1) * chunk]
        part += [None] * (min(chunk, total - n * chunk) - len(part))
        for doc, row in rows.items():
            if doc // chunk == n:
                part[doc % chunk] = row
        search_shards._write(out / f"d-{n}.json", part)
    shards = set(meta["shards"])
    read_fields: dict[str, dict] = {}  # key -> its f-<key>.json as read (read once: _write_shards rewrites it)
    field_df = _field_df(out, shards, split, moved, weighed_now, read_fields)
    items = sum(kinds.values())
    cuts = {n: search_shards.cut_weights_of(fields, avgfl, groups, field_df, items)
            for n, fields in weighed_now.items()}
    for t, by_field in moved.items():
        if any(by_field.values()):
            # its items per field changed: f-<key>.json rewritten
            changes[search_shards.shard_key(t, split)].setdefault(t, {})
    present: dict[str, bool] = {}
    written: dict[str, dict] = {}  # key -> the terms of each shard written now (the forms look them up there)
    emptied = _write_shards(out, changes, shards, display, present, cuts, field_df, read_fields, written)
    _update_forms(meta, analyser, present, out, split, shards - emptied, written)
    meta.update(items=sum(kinds.values()), kinds={k: kinds[k] for k in KINDS if kinds.get(k)},
                shards=sorted(shards - emptied),
                same=search_shards.same_items([rows.get(n, docs[n] if n < len(docs) else None) for n in range(total)]))
    meta.pop("rows", None)  # the shards' rows (search_rows.py) are the last full build's: chunks answer
    if ranges != _ranges(meta["kinds"]):
        meta["ranges"] = ranges
    else:
        meta.pop("ranges", None)
    search_shards._write(out / "meta.json", meta)
    for key in emptied:
        (out / f"t-{key}.json").unlink(missing_ok=True)
        (out / f"f-{key}.json").unlink(missing_ok=True)
    return True


def _update_forms(meta: dict, analyser, present: dict[str, bool], out: Path, split: set[str], shards: set[str],
                  written: dict[str, dict] | None = None) -> None:
    """meta.json's word forms (carebase.text.forms) as a full build writes them: every form
    that touches a term of the index. ``present``: the changed terms, whether each is still
    there; any other term is looked up in its shard (``written``: key → the terms of the shards
    this update wrote, not read again)."""
    rules = meta.get("analyser")
    if not isinstance(rules, dict) or not analyser.forms():
        return
    from carebase.text.forms import for_terms

    stem, stem_only = analyser.stem, analyser.stem_only
    forms = {**rules.get("forms", {}),
             **for_terms(analyser.forms(), stem, stem_only, [t for t, there in present.items() if there])}
    read: dict[str, dict] = dict(written or {})

    def there(term: str) -> bool:
        if term in present:
            return present[term]
        key = search_shards.shard_key(term, split)
        if key not in read:
            try:
                read[key] = json.loads((out / f"t-{key}.json").read_text(encoding="utf-8"))["t"] if key in shards else {}
            except (OSError, ValueError, KeyError, TypeError):
                read[key] = {}
        return term in read[key]

    rules["forms"] = {form: base for form, base in sorted(forms.items())
                      if not {stem(form), stem_only(form)} & present.keys() or there(stem(form)) or there(stem_only(form))}


def _field_df(out: Path, shards: set[str], split: set[str], moved, weighed_now,
              read_fields: dict[str, dict] | None = None) -> dict[str, dict[str, int]]:
    """term → field → items holding it there, after the update, for every term whose count moved
    or that a new or saved record holds (its score as the service's needs each of its terms'):
    the f-<key>.json files (the last full build's, kept current by each update) plus what moved.
    ``read_fields`` gets each f-<key>.json read whole (key → its content), for _write_shards."""
    wanted = set(moved) | {t for fields in weighed_now.values() for counts, _ in fields.values() for t in counts}
    by_key: dict[str, list[str]] = defaultdict(list)
    for t in wanted:
        by_key[search_shards.shard_key(t, split)].append(t)
    out_df: dict[str, dict[str, int]] = {}
    for key, terms in by_key.items():
        path = out / f"f-{key}.json"
        try:
            whole = json.loads(path.read_text(encoding="utf-8")) if key in shards else None
        except (OSError, ValueError):
            whole = None
        if isinstance(whole, dict) and read_fields is not None:
            read_fields[key] = whole
        stored = whole.get("f", {}) if whole is not None else {}
        for t in terms:
            before = stored.get(t) or [0] * len(SEARCH_FIELDS)
            out_df[t] = {f: max(0, before[i] + moved.get(t, {}).get(f, 0)) for i, f in enumerate(SEARCH_FIELDS)}
    return out_df


def _write_shards(out: Path, changes, shards: set[str], display: dict[str, str],
                  present: dict[str, bool] | None = None, cuts=None, field_df=None,
                  read_fields: dict[str, dict] | None = None, written: dict[str, dict] | None = None) -> set[str]:
    """Apply ``changes`` (shard → term → doc → (weight before, weight now), None: not held) to the
    shard files; add new shards to ``shards``; return the shards left without a term (not
    written). ``present`` gets each changed term: whether it is still in the index. ``cuts``: doc
    → term → its score as the service's (search_shards.cut_weights_of) for the rows written now;
    ``field_df``: term → field → items holding it there (the shards' "c", and the f-<key>.json
    files written beside them); ``read_fields``: key → its f-<key>.json as _field_df read it (not
    read again; changed here); ``written`` gets the terms of each shard written (key → "t")."""
    cuts, field_df, read_fields = cuts or {}, field_df or {}, read_fields or {}
    emptied = set()
    for key, terms_of in sorted(changes.items()):
        path, fields_path = out / f"t-{key}.json", out / f"f-{key}.json"
        data = json.loads(path.read_text(encoding="utf-8")) if key in shards and path.exists() else {"t": {}, "w": {}}
        if key in read_fields:
            fields = read_fields[key]
        else:
            fields = json.loads(fields_path.read_text(encoding="utf-8")) if key in shards and fields_path.exists() else {}
        fields_changed = "f" not in fields  # a file whose content is the same is not written again
        data.pop("r", None)
        held = data.setdefault("n", {})
        scored, per_field = data.setdefault("c", {}), fields.setdefault("f", {})
        for t, weights in terms_of.items():
            flat = data["t"].get(t, [])
            docs_of = dict(zip(flat[::2], flat[1::2]))
            cut_of = dict(zip(flat[::2], scored.get(t, [])))
            for n, (_, weight) in weights.items():
                docs_of.pop(n, None)
                cut_of.pop(n, None)
                if weight is not None:
                    docs_of[n] = weight
                    cut_of[n] = cuts.get(n, {}).get(t, 1)
            # the items holding a capped term (the shard's "n"): its count moved by the changed
            # items, each by its weight before and now (also one held past the cap, not in docs_of)
            held_counts = search_shards.held_counts
            was = held_counts({n: w for n, (w, _) in weights.items() if w is not None})
            now = held_counts({n: w for n, (_, w) in weights.items() if w is not None})
            counts = [held[t][0] + now[0] - was[0], held[t][1] + now[1] - was[1]] if t in held else held_counts(docs_of)
            # the build's cap, read where it is kept: a copy taken at this module's first import
            # kept whatever it was then (a test's cap of 20 capped every later update in its process)
            cap = search_shards.MAX_POSTINGS
            if len(docs_of) > cap:
                docs_of = dict(sorted(docs_of.items(), key=lambda dw: (-dw[1], dw[0]))[:cap])
            if counts[1] > len(docs_of):
                held[t] = counts
            else:
                held.pop(t, None)
            if present is not None:
                present[t] = bool(docs_of)
            if docs_of:
                data["t"][t] = [x for doc, w in sorted(docs_of.items()) for x in (doc, w)]
                scored[t] = [cut_of.get(doc, 1) for doc in sorted(docs_of)]
                if t in field_df:
                    now_fields = [field_df[t].get(f, 0) for f in SEARCH_FIELDS]
                    fields_changed = fields_changed or per_field.get(t) != now_fields
                    per_field[t] = now_fields
                if t in display:
                    data["w"].setdefault(t, display[t])
            else:
                data["t"].pop(t, None)
                data["w"].pop(t, None)
                scored.pop(t, None)
                fields_changed = per_field.pop(t, None) is not None or fields_changed
        if not held:
            data.pop("n")
        if data["t"] or data.get("j"):  # a German verb's forms keep their shard (search_shards: "j")
            shards.add(key)
            if fields_changed:  # its terms in order, as a full build writes them (the same bytes)
                fields["f"] = dict(sorted(per_field.items()))
                search_shards._write(fields_path, fields)
            search_shards._write(path, data)
        else:
            emptied.add(key)
        if written is not None:
            written[key] = data["t"]
    return emptied


def _ranges(kinds: dict[str, int]) -> list[list]:
    """Each kind's rows as a full build numbers them: articles, FAQ questions, videos."""
    out, start = [], 0
    for kind in KINDS:
        if kinds.get(kind):
            out.append([kind, start, start + kinds[kind]])
            start += kinds[kind]
    return out


def _placed(docs: list, items: dict[str, list]) -> dict[str, list[int]] | None:
    """The row numbers of each item's records (rows hold the record's id and kind, a video's
    chapters after it in order), or None when the rows do not hold exactly those records."""
    where: dict[str, list[int]] = defaultdict(list)
    for n, row in enumerate(docs):
        if row is not None:
            where[row[0]].append(n)
    placed = {}
    for item, records in items.items():
        ids = [r.id for r in records]
        found = [n for i in dict.fromkeys(ids) for n in where.get(i, [])]
        if len(found) != len(records) or any(docs[n][0] != r.id or docs[n][1] != r.kind
                                             for n, r in zip(found, records)):
            return None
        placed[item] = found
    return placed


def _item_records(catalogue: Catalogue, ids: set[str]) -> dict[str, list]:
    """The search records of the items ``ids`` (published articles, FAQ files, videos) that
    ``catalogue`` holds."""
    from carebase.search.records import article_record, faq_records, video_records

    found: dict[str, list] = {}
    for article in catalogue.articles:
        if article.id in ids and not article.draft:
            found[article.id] = [article_record(article)]
    for group in catalogue.faqs:
        if group.id in ids:
            found[group.id] = list(faq_records(group))
    for video in catalogue.videos:
        if video.id in ids:
            found[video.id] = list(video_records(video))
    return found
