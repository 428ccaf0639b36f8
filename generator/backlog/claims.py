"""One wording, one target: why two recommendations can never contradict each other.

A row *claims* the customer wordings it acts on (their analysed keys: the report's one
analyser, so "Refunds" and "refund" are one wording) together with its *target*: the item
it would change, or ``new`` for an article to write. Two rows contradict each other when
they claim the same wording for different targets ("retag the privacy page for
“humidity”" beside "write an article about “humidity”"), or when one topic has two rows.

By construction:

* every failed wording belongs to exactly one topic, and every topic has exactly one action
  (``carebase.report.topic_actions``), so topic rows never share a wording;
* a keyword suggestion (``keywords`` rows: words customers used before reaching an item)
  never claims a wording a topic row claims (or a page's Fix row a topic was folded into):
  the topic, which holds every search of the wording, decides; the word is dropped from the
  keyword row (``resolve``), and a row left with no word is dropped.

``contradictions`` checks the result (the report states the count; tests assert zero).
"""

from __future__ import annotations

from collections import defaultdict


def decides(row: dict) -> bool:
    """Whether ``row`` decides its wordings as a topic does: a topic's own row, or a page's Fix
    row holding the failed searches of a need folded into it (``rows.Builder.fold``)."""
    return bool(row["topic"] or row["evidence"].get("failed_searches"))


def resolve(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(rows, what was dropped and why) with keyword words yielding to the topics."""
    topics: dict[str, dict] = {}
    for row in rows:
        if decides(row):
            for key, _target in row["claims"]:
                topics.setdefault(key, row)
    kept, dropped = [], []
    for row in rows:
        if row["action"] != "keywords":
            kept.append(row)
            continue
        words, claims = [], []
        for word, (key, target) in zip(row["evidence"]["words"], row["claims"]):
            owner = topics.get(key)
            if owner is None:
                words.append(word)
                claims.append([key, target])
                continue
            same = owner["target"] == target
            dropped.append({"key": row["key"], "word": word["word"], "topic": owner["key"],
                            "why": "the topic's row already asks for it" if same else
                                   f"the topic's row decides its wording ({owner['action']} → {owner['target']})"})
        if words:
            row["evidence"]["words"] = words
            row["claims"] = claims
            row["words"] = [w["word"] for w in words]
            kept.append(row)
    return kept, dropped


def contradictions(rows: list[dict]) -> list[dict]:
    """Every wording claimed for two different targets, and every key or topic listed twice."""
    targets: dict[str, set] = defaultdict(set)
    keys: dict[str, list[str]] = defaultdict(list)
    out = []
    for row in rows:
        for key, target in row["claims"]:
            targets[key].add(target)
            keys[key].append(row["key"])
    for key, found in sorted(targets.items()):
        if len(found) > 1:
            out.append({"wording": key, "targets": sorted(map(str, found)), "rows": sorted(set(keys[key]))})
    seen: dict[str, int] = defaultdict(int)
    for row in rows:
        seen[row["key"]] += 1
        if row["topic"] and row["topic"] != row["key"]:
            seen[row["topic"]] += 1
    out += [{"row": key, "listed": n} for key, n in sorted(seen.items()) if n > 1]
    return out
