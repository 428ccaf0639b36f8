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

import re
from dataclasses import replace

#: Separable prefixes, folded (a prefix standing at the end of a main clause belongs to its verb).
SEPARABLE = frozenset("""ab an auf aus bei dar durch ein fest fort frei her heraus herein herunter hin hinzu
hoch los mit nach vor vorbei weg weiter zu zuruck zusammen um""".split())
QUESTION_WORDS = frozenset("""wie wo wann warum wieso weshalb was wer wen wem welche welcher welches welchen
welchem wohin woher womit wozu wodurch""".split())
PRONOUNS = frozenset("ich du er sie es wir ihr man jemand niemand".split())
DETERMINERS = frozenset("""der die das den dem des ein eine einen einem einer eines mein meine meinen meinem
meiner meines dein deine deinen deinem deiner unser unsere unseren unserem unserer ihre ihren ihrem ihrer sein
seine seinen seinem seiner kein keine keinen keinem keiner dieser diese dieses diesen diesem""".split())
#: Where a clause ends: punctuation, or a coordinating conjunction between two clauses.
CLAUSE_END = re.compile(r"[.,;:!?()\[\]{}\n\"„“”«»–—]+|\s(?:und|oder|aber|sondern|denn)\s")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def verb_at(words: list[str], stop_words: frozenset) -> int | None:
    """Where the finite verb of a clause (its folded words, stop words kept) stands when its last
    word is a separable prefix; None when the clause has none or no verb can be placed."""
    if len(words) < 2 or words[-1] not in SEPARABLE:
        return None
    first = words[0]
    if first in QUESTION_WORDS or first in PRONOUNS:
        at = 1
    elif first in DETERMINERS:
        at = 2
    elif len(words) == 2 or words[1] in PRONOUNS or words[1] in DETERMINERS:
        at = 0  # a question or an imperative: the verb first ("setzen sie lumo zuruck")
    else:
        return None  # a noun or a name first ("lumo zeigt … an"): no place for the verb
    if at >= len(words) - 1:
        return None
    verb = words[at]
    if verb in stop_words or verb in SEPARABLE or not verb.isalpha():
        return None
    return at


def join_separable(words: list[str], stop_words: frozenset) -> list[str]:
    """One clause's folded words with a clause-final separable prefix joined to the clause's
    finite verb (``wie setze ich das thermostat zuruck`` → ``wie zurucksetze ich das
    thermostat``); the words unchanged when no verb can be placed."""
    at = verb_at(words, stop_words)
    if at is None:
        return words
    return words[:at] + [words[-1] + words[at]] + words[at + 1:-1]


def separated(text: str, analyser) -> list[tuple[str, str]]:
    """(verb, prefix) of every separated verb of a German text, folded as typed ("setze",
    "zuruck"); [] for any other language."""
    if getattr(analyser, "language", "") != "de":
        return []
    out = []
    for clause in CLAUSE_END.split(analyser.fold(text)):
        words = _WORD.findall(clause)
        at = verb_at(words, analyser.stop_words)
        if at is not None:
            out.append((words[at], words[-1]))
    return out


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
