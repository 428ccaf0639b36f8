"""German separable verbs, read joined for the Ask box's evidence.

A German verb with a separable prefix splits in a main clause: "wie setze ich das thermostat
zurück" is *zurücksetzen*; read word by word, *zurück* matches "Geld zurück" on the refund pages
and the box answered the refund FAQ. Search's ranking keeps reading word by word (joining the
verb in search did not pay: RESULTS "Session 43 (`siteui`)"); for the box's evidence the prefix
alone is no word of the question, and the verb is held as typed or joined (``joined_clauses``;
RESULTS "Session 45 (`ask`)", S2: demo de + separable questions 1.075 → 1.175, confirmed on the
German harness).

The placement rule is session 43's (``join_separable``): in a clause (text between punctuation
or the conjunctions *und*, *oder*, *aber*, *sondern*, *denn*) whose last word is a separable
prefix (``SEPARABLE``), the prefix is joined to the clause's finite verb — the word after a
leading question word or pronoun, the third word after a leading article or possessive, the
first word when the next one is a pronoun or an article (a question or an imperative: "setzen
Sie Lumo zurück"), or the first of a two-word clause. Only German questions go through it.
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
