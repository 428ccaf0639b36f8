"""Query analysis: typo correction against the index vocabulary and synonym expansion.

A query becomes a list of *clauses*, one per meaningful word. Each clause holds weighted
alternatives (tuples of stems): the word itself; for a word the index has never seen,
its closest vocabulary words (edit distance 1, or 2 for longer words); and the other
members of any synonym group the word (or a phrase it is part of) belongs to.
Words, stems and synonym groups come from carebase's one analyser (``carebase.text``), the
index's language's (English unless told). In a German query a separable verb split in a main
clause ("wie setze ich das thermostat zurück") is read joined (``_join_separated``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carebase.search.schema import LANGUAGE, STOP_WORDS
from carebase.text import Analyser, SynonymGroups, analyser_for
from carebase.text.separable import joined_stems, separated

_ANALYSER = analyser_for(LANGUAGE)

#: Stop words that are contractions, as customers type them without the apostrophe ("dont")
BARE_STOP_WORDS = frozenset(w.replace("'", "") for w in STOP_WORDS if "'" in w)
FUZZY_WEIGHT = 0.85  # a corrected word counts a little less than a word typed right
SYNONYM_WEIGHT = 0.7  # a synonym counts less than the word the customer typed


def words(text: str, analyser: Analyser = _ANALYSER) -> list[str]:
    """Folded words without stop words (the spelling vocabulary's form)."""
    return analyser.words(text)


def stems(text: str, analyser: Analyser = _ANALYSER) -> tuple[str, ...]:
    return tuple(analyser.terms(text))


def _bare_stop_words(analyser: Analyser) -> frozenset:
    if analyser is _ANALYSER:
        return BARE_STOP_WORDS
    return frozenset(w.replace("'", "") for w in analyser.stop_words if "'" in w)


@dataclass
class Clause:
    word: str  # the word as typed (normalised)
    alternatives: dict[tuple[str, ...], float] = field(default_factory=dict)
    corrected: str | None = None  # best vocabulary word, when `word` is unknown
    synonyms: set = field(default_factory=set)  # alternatives added as another member of a group
    apart: set = field(default_factory=set)  # alternatives whose words count anywhere in an item, not as a phrase
    verb: bool = False  # a German verb whose separated prefix it holds joined (no topic of the question)

    def synonym(self, alt: tuple[str, ...]) -> bool:
        """Whether ``alt`` is here only as a synonym (not also typed or a correction)."""
        return alt in self.synonyms and self.alternatives.get(alt) == SYNONYM_WEIGHT

    def add(self, alt: tuple[str, ...], weight: float) -> None:
        if alt and weight > self.alternatives.get(alt, 0.0):
            self.alternatives[alt] = weight


class Synonyms(SynonymGroups):
    """Synonym groups (carebase.text.SynonymGroups) and how a query's clauses gain them."""

    def __init__(self, groups, analyser: Analyser = _ANALYSER):
        super().__init__(groups, analyser)
        self.analyser = analyser
        self.stems: set[str] = {s for members in self.groups for m in members for s in m}  # every member's words
        # a one-word member's stem -> the member as written (folded): "control" -> {"controller"}
        self.written: dict[str, set[str]] = {}
        for group in groups:
            for phrase in group:
                written = analyser.words(str(phrase))
                if len(written) == 1:
                    self.written.setdefault(analyser.stem(written[0]), set()).add(written[0])

    def knows(self, word_stems: tuple[str, ...]) -> bool:
        """Whether this one word is a word of some group's member ("stat", or "back" of
        "money back")."""
        return len(word_stems) == 1 and word_stems[0] in self.stems

    def expand(self, clauses: list[Clause], clause_stems: list[tuple[str, ...]]) -> None:
        """Add the other members of every group a word or phrase of the query belongs to."""
        flat: list[tuple[int, str]] = []  # (clause index, stem)
        for ci, st in enumerate(clause_stems):
            flat.extend((ci, s) for s in st)
        for pos, gi, member in self.matches([s for _, s in flat]):
            span = sorted({flat[p][0] for p in range(pos, pos + len(member))})
            if len(span) > 1:
                # a phrase of the group typed as several words ("common wire"): the
                # phrase itself counts as typed, in its first word's clause, which
                # also carries the group (the other words still score on their own)
                clauses[span[0]].add(member, 1.0)
                span = span[:1]
            for other in self.groups[gi]:
                if other == member:
                    continue
                for c in span:
                    clauses[c].add(other, SYNONYM_WEIGHT)
                    clauses[c].synonyms.add(other)


def analyse(text: str, vocabulary, synonyms: Synonyms | None, *,
            complete_last: bool = False, analyser: Analyser | None = None) -> list[Clause]:
    """The query's clauses (see the module docstring). ``vocabulary`` is a SpellIndex;
    ``analyser``: the index's language's (default: the synonyms', else English)."""
    analyser = analyser or (synonyms.analyser if synonyms is not None else _ANALYSER)
    bare_stop_words = _bare_stop_words(analyser)
    clauses: list[Clause] = []
    clause_stems: list[tuple[str, ...]] = []
    typed = words(text, analyser)
    for i, word in enumerate(typed):
        clause = Clause(word)
        own = stems(word, analyser)
        if not own:
            continue
        # a word of a synonym group is the writer's vocabulary too: never "corrected"
        # ("stat" is a customer's word for thermostat, not a typo of "start"); a contraction
        # of the help centre typed without its apostrophe is understood ("wont" = "won't",
        # not a typo of "want"): it counts as typed, and a stop word ("dont") drops out; a
        # word whose stem the help centre has is another form of a known word ("followed")
        known = (word in vocabulary or not word.isalpha() or (len(own) == 1 and own[0] in vocabulary.stems)
                 or (synonyms is not None and synonyms.knows(own)))
        if not known and word in bare_stop_words:
            continue
        contraction = None if known else vocabulary.contraction(word)
        # an everyday word the help centre does not have ("wife", "loft") is what the customer
        # meant, not a typo of one it has ("wire", "left"): searched as typed, never corrected
        ordinary = not known and contraction is None and analyser.is_ordinary(word)
        if contraction is not None:
            own = stems(contraction, analyser)
            if not own:
                continue
            clause.add(own, 1.0)
            match_stems = own
        elif known:
            clause.add(own, 1.0)
            match_stems = own
        else:
            fixes = [] if ordinary else vocabulary.corrections(word)
            if complete_last and i == len(typed) - 1:
                for w in vocabulary.completions(word):
                    clause.add(stems(w, analyser), FUZZY_WEIGHT)
            for rank, fix in enumerate(fixes):
                clause.add(stems(fix, analyser), FUZZY_WEIGHT * (1.0 if rank == 0 else 0.9))
            if fixes:
                clause.corrected = fixes[0]
            if not clause.alternatives:
                clause.add(own, 1.0)  # unknown and uncorrectable: keep it (matches nothing)
            match_stems = stems(fixes[0], analyser) if fixes else own
        clauses.append(clause)
        clause_stems.append(match_stems)
    if SEPARATED and clauses:
        _join_separated(text, clauses, clause_stems, vocabulary, analyser)
    if synonyms is not None:
        synonyms.expand(clauses, clause_stems)
    return clauses


#: German queries read a separated verb joined (``_join_separated``); False: word by word (the
#: benchmarks' baseline: benchmarks/search/separable_search.py).
SEPARATED = True


def _join_separated(text: str, clauses: list[Clause], clause_stems: list, vocabulary, analyser: Analyser) -> None:
    """A German query's separated verbs (``carebase.text.separable``: "wie setze ich das thermostat
    zurück") read as one word, as the pages write them (*zurücksetzen*; RESULTS "Session 47
    (`lang`)", R3):

    - the verb's clause gains the joined verb's stems at the weight of a typed word: as typed and
      its base form (*setz* | *zurucksetz*; "kommt … an": *komm* | *ankommt* | *ankomm*);
    - where the help centre writes the joined verb (a term of the index), the prefix's own clause
      goes: alone it matches other verbs' prefixes (*Geld zurück* for "setze … zurück"). Its match
      is kept for an item that writes the verb apart too ("buchen wir nie … ab"): the verb's clause
      gains the verb and the prefix as one alternative whose words count anywhere in the item
      (``Clause.apart``). Where no item writes it joined, the prefix stays a word of its own (the
      refunds article's *zurückgeben* still answers "schicke … zurück");
    - the verb's clause is marked ``verb``: the Ask box's "the item is about a question word"
      (``confidence.about``) does not count it (*einschalten* in a title is no answer to "wie
      schalte ich den abwesenheitsmodus ein")."""
    for verb, prefix in separated(text, analyser):
        at = next((i for i, c in enumerate(clauses) if c.word == verb), None)
        if at is None:
            continue
        joined = joined_stems(verb, prefix, analyser)
        typed = [(alt, w) for alt, w in clauses[at].alternatives.items() if len(alt) == 1]  # as typed or corrected
        for stem in joined:
            clauses[at].add((stem,), 1.0)
        clauses[at].verb = True
        gone = next((i for i, c in enumerate(clauses) if c.word == prefix and i != at), None)
        if gone is None or not any(s in vocabulary.stems for s in joined):
            continue
        for alt, weight in typed:
            if alt[0] in joined:
                continue
            for prefix_alt, prefix_weight in clauses[gone].alternatives.items():
                pair = tuple(dict.fromkeys((*alt, *prefix_alt)))
                if len(pair) > 1 and pair not in clauses[at].alternatives:
                    clauses[at].add(pair, weight * prefix_weight)
                    clauses[at].apart.add(pair)
        del clauses[gone], clause_stems[gone]


def suggestion(text: str, clauses: list[Clause], analyser: Analyser = _ANALYSER,
               display: dict[str, str] | None = None) -> str | None:
    """"Did you mean": the query with each unknown word replaced by its best correction, as
    the help centre writes it (``display``: folded word → written form)."""
    display = display or {}
    fixes = {c.word: display.get(c.corrected, c.corrected) for c in clauses if c.corrected}
    if not fixes:
        return None
    out = []
    for token in text.split():
        w = words(token, analyser)
        if len(w) == 1 and w[0] in fixes:
            out.append(fixes[w[0]])
        else:
            out.append(token)
    fixed = " ".join(out)
    return fixed if fixed.lower() != text.strip().lower() else None
