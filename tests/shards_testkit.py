"""The site search's client index (search/carebase/) as what it answers, for comparing an
index ``carebase serve`` updated in place with a full build's: rows are numbered differently
(a deleted item's rows are null, new ones come last), the meaning must be the same."""

from __future__ import annotations

import json
from pathlib import Path

#: "Did you mean" on the demo, the same from the service (carebase.search.analysis) and from
#: the client index (search-index.js): typos of the help centre's words are corrected; everyday
#: words it does not have are not ("wife" is not "wire", "loft" not "left", "tried" not
#: "trial"), nor a customer's abbreviation ("trv") or a contraction without its apostrophe.
#: (Where the two still differ, not here: the client corrects towards a stem and shows its most
#: frequent word in the help centre, the service the nearest word ("recieve" → *receiving* or
#: *receive*), and corrects only within a word's first two letters: "bioler" stays.)
DID_YOU_MEAN = {"deltee": "delete", "pasword": "password", "mony back": "money back", "trv": None, "wont": None, "wife": None, "loft": None,
                "garden": None, "seller": None, "tried": None, "went": None, "thought": None,
                "value": None, "heard": None}


def client_index(folder: Path, weights: bool = True) -> dict:
    """Each term's postings as (row, weight) pairs by the row's content (``weights=False``: the
    weight's sign), the live rows, the
    counts, the display words, and the analyser; asserts that every row a posting names is
    there, that each row lies in its kind's range, that the shard files are meta's, and, while
    meta says the shards' suggestion rows are current (``rows``), that each is its item's row
    without the text. Whether they are current is left out of the comparison (``carebase
    serve``'s update in place drops them; the next full build writes them)."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    ranges = meta.get("ranges")
    if ranges is None:
        ranges, start = [], 0
        for kind in ("article", "faq", "video"):
            ranges.append([kind, start, start + meta["kinds"].get(kind, 0)])
            start += meta["kinds"].get(kind, 0)
    total = ranges[-1][2] if ranges else 0
    rows = [row for n in range(-(-total // meta["chunk"]))
            for row in json.loads((folder / f"d-{n}.json").read_text(encoding="utf-8"))]
    assert len(rows) == total, folder
    for kind, first, end in ranges:
        assert all(row is None or row[1] == kind for row in rows[first:end]), (folder, kind)
    live = [json.dumps(row) for row in rows if row is not None]
    assert len(live) == meta["items"] == sum(meta["kinds"].values()), folder
    assert {p.stem[2:] for p in folder.glob("t-*.json")} == set(meta["shards"]), folder
    terms, display = {}, {}
    for key in meta["shards"]:
        shard = json.loads((folder / f"t-{key}.json").read_text(encoding="utf-8"))
        assert shard["t"], (folder, key)  # no empty shard
        for term, flat in shard["t"].items():
            assert all(rows[doc] is not None for doc in flat[::2]), (folder, term)
            terms[term] = sorted((json.dumps(rows[doc]), weight if weights else (1 if weight > 0 else -1))
                                 for doc, weight in zip(flat[::2], flat[1::2]))
        display.update(shard["w"])
        if meta.get("rows"):
            # a shard of words has their first rows; one of synonym phrases only ("add peopl",
            # 13777c1: a phrase is a term of its own, in its first word's shard) has none to suggest
            assert shard["r"] or all(" " in t for t in shard["t"]), (folder, key)
            for doc, row in shard["r"].items():
                full = rows[int(doc)]
                assert row == full[:4] + full[5:], (folder, key, doc)
    rest = {k: v for k, v in meta.items()
            if k not in ("shards", "split", "ranges", "rows", "same", *(() if weights else ("avgfl",)))}
    # a video chapter's row → its video's first row (search_shards.same_items), by the rows' content
    rest["same"] = sorted((json.dumps(rows[int(n)]), json.dumps(rows[first])) for n, first in meta.get("same", {}).items())
    # an index updated in place keeps the last full build's display words (the full build shows a
    # term's most frequent word, search_shards.ShardIndex.write): left out without weights
    return {"meta": rest, "rows": sorted(live), "terms": terms, "display": display if weights else None}


def client_indexes(site: Path, weights: bool = True) -> dict[str, dict]:
    """Every client index of a built site (one per language) by its folder, from the site
    (``weights=False``: each weight as its sign, no average field lengths, no display words: an
    index updated in place weighs changed items by the last full build's
    lengths, ``WEIGHT_TOLERANCE``, and keeps its display words)."""
    return {p.parent.relative_to(site).as_posix(): client_index(p.parent, weights)
            for p in sorted(site.glob("search/carebase/**/meta.json"))}


#: How far a term's weight in an item may differ between an index ``carebase serve`` updated in
#: place and a full build's: the update weighs a changed item by the last full build's average
#: field lengths (meta.json "avgfl"), which the full build computes again (search_shards.weights_of).
WEIGHT_TOLERANCE = 0.03


def same_postings(updated: dict[str, list], full: dict[str, list]) -> bool:
    """Whether two shards' postings ("t") name the same items for the same terms, each weight
    (and its sign: a synonym's is below 0) within ``WEIGHT_TOLERANCE`` of the other's."""
    if updated.keys() != full.keys():
        return False
    for term, flat in updated.items():
        other = full[term]
        if flat[::2] != other[::2]:
            return False
        for a, b in zip(flat[1::2], other[1::2]):
            if (a > 0) != (b > 0) or abs(a - b) > max(1, WEIGHT_TOLERANCE * abs(b)):
                return False
    return True


def same_index(updated: dict, full: dict) -> bool:
    """``client_index`` of an updated index and of a full build: the same but for the weights
    (``same_postings``' tolerance), the average field lengths and the display words' choice."""
    strip = lambda ix: {**ix, "meta": {k: v for k, v in ix["meta"].items() if k != "avgfl"}, "terms": None,  # noqa: E731
                        "display": None}  # display words: the last full build's
    if strip(updated) != strip(full) or updated["terms"].keys() != full["terms"].keys():
        return False
    for term, pairs in updated["terms"].items():
        other = full["terms"][term]
        if [row for row, _ in pairs] != [row for row, _ in other]:
            return False
        if not same_postings({term: [x for p in pairs for x in (0, p[1])]}, {term: [x for p in other for x in (0, p[1])]}):
            return False
    return True
