"""German separable verbs, read joined for the Ask box's evidence.

A German verb with a separable prefix splits in a main clause: "wie setze ich das thermostat
zurück" is *zurücksetzen*; read word by word, *zurück* matches "Geld zurück" on the refund pages
and the box answered the refund FAQ. Search reads the verb joined (``carebase.search.analysis``,
R3 of RESULTS "Session 47 (`lang`)": the joined verb an alternative of the verb, the prefix's own
clause dropped where the index writes the verb joined); for the box's evidence the prefix alone is
never a word of the question, wherever the index stands, and the verb is held as typed or joined
(``joined_clauses``; RESULTS "Session 45 (`ask`)", S2). The placement rule is session 43's,
``carebase.text.separable``; only German questions go through it.
"""

from __future__ import annotations

from dataclasses import replace

from carebase.text.separable import (  # noqa: F401  (read here by the benchmarks)
    CLAUSE_END, DETERMINERS, PRONOUNS, QUESTION_WORDS, SEPARABLE, join_separable, separated, verb_at)


def joined_clauses(question: str, clauses: list, analyser) -> list:
    """Search's clauses of a German question with each separated verb read as the box reads it:
    the prefix's clause dropped (a separated prefix alone is no evidence: *zurück* is also "Geld
    zurück") and the verb's clause given the joined verb's stem as an alternative ("setze …
    zurück" → *setz* | *zurucksetz*); the clauses themselves for any other question."""
    pairs = separated(question, analyser)
    if not pairs:
        return clauses
    out = list(clauses)
    for verb, prefix in pairs:
        joined = tuple(analyser.terms(prefix + verb))
        at = next((i for i, c in enumerate(out) if c.word == verb), None)
        if not joined or at is None:
            continue
        out[at] = replace(out[at], alternatives={**out[at].alternatives, joined: 1.0})
        gone = next((i for i, c in enumerate(out) if c.word == prefix and i != at), None)
        if gone is not None:
            del out[gone]
    return out
