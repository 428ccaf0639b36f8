"""German separable verbs: where a verb's prefix stands apart from it, and the verb joined.

A German verb with a separable prefix splits in a main clause: "wie setze ich das thermostat
zurück" is *zurücksetzen*, the word the reset article's title uses; read word by word, *zurück*
matches "Geld zurück" on the refund pages and *setze* matches little. Search
(``carebase.search.analysis``) and the Ask box (``carebase.assist.separable``) read such a verb
joined; the pages' own text is analysed word by word as always (the placement rule is made for
questions).

The placement rule is session 43's (``verb_at``): in a clause (text between punctuation or the
conjunctions *und*, *oder*, *aber*, *sondern*, *denn*) whose last word is a separable prefix
(``SEPARABLE``), the prefix belongs to the clause's finite verb — the word after a leading
question word or pronoun, the third word after a leading article or possessive, the first word
when the next one is a pronoun or an article (a question or an imperative: "setzen Sie Lumo
zurück"), or the first of a two-word clause. Only German text goes through it (``separated``).

The joined verb's stems (``joined_stems``): the prefix joined to the verb as typed
(*zurück+setze* → *zurucksetz*) and to its base form, because Snowball stems a joined present form
apart from the infinitive the pages write (*an+kommt* → *ankommt*, the page's *ankommen* →
*ankomm*): the base form is simplemma's German lemma (``carebase.text.forms``' table for German,
kept in carebase's cache folder like English's; the analyser itself does not join German forms:
RESULTS "Session 44 (`ask`)").
"""

from __future__ import annotations

import functools
import re

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
PUNCTUATION = ".,;:!?()[]{}\n\"„“”«»–—"
CONJUNCTIONS = ("und", "oder", "aber", "sondern", "denn")
CLAUSE_END = re.compile(f"[{re.escape(PUNCTUATION)}]+|\\s(?:{'|'.join(CONJUNCTIONS)})\\s")
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


def joined_stems(verb: str, prefix: str, analyser) -> tuple[str, ...]:
    """The stems of the verb joined to its prefix (folded words): as typed, then its base form's
    when that stems otherwise (``zuruck``, ``setze`` → ``zurucksetz``; ``an``, ``kommt`` →
    ``ankommt``, ``ankomm``)."""
    typed = prefix + verb
    lemmas = _lemmas(analyser)
    base = lemmas.get(typed) or (prefix + lemmas[verb] if verb in lemmas else typed)
    return tuple(dict.fromkeys(analyser.stem(w) for w in (typed, base)))


def warm(analyser) -> None:
    """Load what ``joined_stems`` reads for this analyser's language now (a searcher's warm-up):
    the first German question with a separated verb would otherwise make or read the table."""
    if getattr(analyser, "language", "") == "de":
        _lemmas(analyser)


def client_rules() -> dict:
    """The placement rule's words for the browser's copy of it (analyser.js ``separated``, from
    meta.json's analyser rules of a German index)."""
    return {"prefixes": sorted(SEPARABLE), "question": sorted(QUESTION_WORDS), "pronouns": sorted(PRONOUNS),
            "determiners": sorted(DETERMINERS), "punctuation": PUNCTUATION, "conjunctions": list(CONJUNCTIONS)}


def client_forms(analyser, terms) -> list[tuple[str, str, str]]:
    """What the browser needs of simplemma's German forms to join a separated verb as search does
    (``joined_stems``), for an index of these ``terms``: (looked-up word — a verb form as typed,
    *bucht*, or prefix and verb joined, *abbucht* —, the verb as typed, whose shard holds it, the
    base form ``joined_stems`` reads for it), sorted. Only the entries whose joined base form stems
    to a term of the index and otherwise than the joined verb as typed (the browser stems that
    itself): for the rest the browser's reading, prefix + verb as typed, finds what search finds.
    [] for any other language."""
    if getattr(analyser, "language", "") != "de":
        return []
    lemmas, terms = _lemmas(analyser), set(terms)
    forms_of: dict[str, list[str]] = {}
    for form, base in lemmas.items():
        forms_of.setdefault(base, []).append(form)
    verbs: dict[str, str] = {}  # a verb form as typed → its base form
    # a verb form whose base form, after a prefix, stems to a term ("bucht … ab": ab+buchen → abbuch)
    for term in terms:
        for prefix, base in _joined_bases(analyser, term):
            for verb in forms_of.get(base, ()):
                typed = prefix + verb
                if typed not in lemmas and analyser.stem(typed) != term:
                    verbs[verb] = base
    out = {(verb, verb, base) for verb, base in verbs.items()}
    # a joined form with an entry of its own (its base is read first): where the browser's reading
    # without it (prefix + the verb's base, or prefix + verb) stems otherwise, and either is a term;
    # a form two prefixes begin (*zu*, *zurück*) is kept for the verb after each
    for joined, base in lemmas.items():
        for prefix in SEPARABLE:
            if not joined.startswith(prefix) or len(joined) <= len(prefix) + 1:
                continue
            verb = joined[len(prefix):]
            other = prefix + verbs[verb] if verb in verbs else joined
            mine, theirs = analyser.stem(base), analyser.stem(other)
            if mine != theirs and (mine in terms or theirs in terms):
                out.add((joined, verb, base))
    return sorted(out)


def _joined_bases(analyser, term: str) -> list[tuple[str, str]]:
    """(prefix, base form of simplemma's German table) whose joined stem is ``term``. A stem of
    folded German starts as its word does (Snowball only cuts endings; its prelude reads "ue" as
    "ü", which drops an *e* after a prefix ending in a vowel: *zu*+*erstatten* → *zurstatt*), so
    only the base forms starting as the term's rest after the prefix are stemmed to check; a term
    that is the prefix itself (*zurück*+*enden* → *zuruck*: the ending cut whole) checks the short
    base forms."""
    out = []
    starts = _bases_by_start(analyser)
    for prefix in SEPARABLE:
        rest = term[len(prefix):]
        if not term.startswith(prefix):
            continue
        if not rest:
            out += [(prefix, base) for base in _short_bases(analyser) if analyser.stem(prefix + base) == term]
            continue
        keys = [rest[:2]] if len(rest) >= 2 else [k for k in starts if k.startswith(rest)]
        if prefix[-1] in "aou":
            keys += [k for k in starts if k == "e" + rest[:1]]
        for key in keys:
            out += [(prefix, base) for base in starts.get(key, ()) if analyser.stem(prefix + base) == term]
    return sorted(set(out))


@functools.lru_cache(maxsize=None)
def _short_bases(analyser) -> tuple[str, ...]:
    """simplemma's German base forms the stemmer could cut whole: at most as long as Snowball's
    longest chain of German endings (a step-1 *erinnen*, a step-2 *est*, a step-3 *keit* and the
    *lich* before it: 18 letters)."""
    return tuple(base for base in sorted(set(_lemmas(analyser).values())) if len(base) <= 18)


@functools.lru_cache(maxsize=None)
def _bases_by_start(analyser) -> dict[str, tuple[str, ...]]:
    """simplemma's German base forms by their first two letters."""
    out: dict[str, list[str]] = {}
    for base in sorted(set(_lemmas(analyser).values())):
        out.setdefault(base[:2], []).append(base)
    return {start: tuple(bases) for start, bases in out.items()}


def _lemmas(analyser) -> dict[str, str]:
    """simplemma's German word forms whose stem is not their base form's (folded form → folded
    base form; ``carebase.text.forms``: kept beside a German search index and in carebase's cache
    folder; read or made once per process: ``Analyser.table``)."""
    return analyser.table(analyser.language)
