"""Explainable query normalisation: the rules that put customer wordings into one group.

Built on carebase's one analyser (``carebase.text``: the same folding, words, stop words,
stems, typo rule and synonym groups as search and the client index). Steps, in order, each
recorded so the report can say why two wordings were grouped:

1. case and accent folding (``Réfund`` → ``refund``), punctuation to spaces;
2. stop words dropped (``how do i``, ``my``, ``the`` …);
3. typo folding: a word unknown to the content and rare among queries becomes a known
   word within the analyser's edit distance (``learn``), never an everyday word of the
   language ("month" is no typo of "money": search's did-you-mean rule);
   German only, after it (a typo of a known word is that word: "einstelungen" is
   "einstellungen", never "einst lungen"): a compound the dictionary does not hold whole is read
   as its parts (``carebase.text.compounds``: "Kartenzahlung" → "karten zahlung", as "Zahlung mit
   Karte");
4. stemming (``cancelling`` → ``cancel``);
5. synonym groups from ``synonyms.yml`` (``money back`` → ``refund``), longest phrase first.

The wording's key is the sorted set of the remaining stems.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from carebase.text import analyser_for

_TYPED = re.compile(r"[^\W\d_]+")  # a word as written (its case kept)

ANALYSER = analyser_for("en")
STOP_WORDS = ANALYSER.stop_words
stem = ANALYSER.stem


def words(text: str) -> list[str]:
    """Every folded word of a text, stop words included."""
    return ANALYSER.words(text, keep_stop_words=True)


def fold(text: str) -> str:
    """Lower case, accents removed, anything not a letter, digit or inner apostrophe a space."""
    return " ".join(words(text))


def damerau(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up (limit + 1) once above ``limit``."""
    return ANALYSER.distance(a, b, limit)


@dataclass
class Analysis:
    key: tuple[str, ...]
    steps: list[str] = field(default_factory=list)  # human-readable rules applied
    words: tuple[str, ...] = ()  # the content words after typo folding (a German compound as its parts), before stemming
    names: tuple[str, ...] = ()  # words set aside from the key as names (missing.mentioned_names)


class Normaliser:
    """Normalises queries against a content vocabulary and the synonym groups."""

    def __init__(self, synonyms: Iterable[Iterable[str]] = (), vocabulary: Iterable[str] = (), language: str = "en"):
        # the language of the help centre's part the report is about (German failed searches
        # are folded, stemmed and told from gibberish with German rules and dictionary)
        self.analyser = analyser = ANALYSER if language == "en" else analyser_for(language)
        groups = [list(g) for g in synonyms]
        self.groups = analyser.synonyms(groups)
        # each group's first member as words, for rewriting a text (synonym_text)
        self._heads = {tuple(analyser.terms(str(p))): analyser.words(str(p), keep_stop_words=True)
                       for g in groups for p in g[:1]}
        self.vocabulary: set[str] = set()
        capitals: Counter = Counter()  # folded word → written with a capital (not first) less in lower case
        for text in vocabulary:
            self.vocabulary.update(analyser.words(text))
            if analyser.language == "de":
                for i, token in enumerate(_TYPED.findall(str(text))):
                    if analyser.fold(token) in analyser.stop_words:
                        continue  # "Sie", "Ihre": the help centre's formal address, no noun
                    if token[:1].isupper() and not token.isupper():
                        capitals[analyser.fold(token)] += i > 0  # a text's first word says nothing
                    elif token.islower():
                        capitals[analyser.fold(token)] -= 1
        # German nouns as the help centre writes them (``cased``): folded word → its capital form
        self.nouns = {w for w, n in capitals.items() if n > 0}
        self.corrections: dict[str, str] = {}
        # German compounds read as their parts (``carebase.text.compounds``): "Kartenzahlung" and
        # "Zahlung mit Karte" end in the same stems; a compound the dictionary holds whole stays
        self._parts: dict[str, list[str]] | None = {} if analyser.language == "de" else None

    def cased(self, text: str) -> str:
        """A German title with each word the help centre writes as a noun (a capital inside its
        titles and questions) capitalised, and a compound whose last part it writes so ("Lumo",
        "Post", "Papierrechnung" after "Rechnung"); the rest as typed. Other languages as typed."""
        if not self.nouns:
            return text

        def case(match) -> str:
            typed = match.group(0)
            if not typed.islower():
                return typed
            folded = self.analyser.fold(typed)
            if folded in self.nouns or self.parts(folded)[-1] in self.nouns:
                return typed[:1].upper() + typed[1:]
            return typed
        return _TYPED.sub(case, text)

    def parts(self, word: str) -> list[str]:
        """A folded word as the key reads it: a German compound's parts, else the word (a word of
        the writer's synonym groups is read whole, as the groups name it)."""
        if self._parts is None:
            return [word]
        found = self._parts.get(word)
        if found is None:
            from carebase.text.compounds import parts

            # a member of the writer's synonym groups stays whole ("Werkseinstellungen" = "zurücksetzen")
            whole = self.groups.knows((self.analyser.stem(word),))
            found = self._parts[word] = [word] if whole else parts(word, self.analyser)
        return found

    # -- typo folding ------------------------------------------------------------------
    def learn(self, word_counts: Counter) -> None:
        """Fix typo corrections from the query words seen (with their volumes).

        A word is corrected when the content does not know it, a known word (in the content,
        or typed by customers 3+ times) lies within the analyser's edit distance, and the word
        is rare (under 3 searches) or customers type the target at least twice as often
        (so "list" never becomes "lost"); the closest, then most frequent, target wins.

        Search's rule for its did-you-mean holds here too: an everyday word of the language
        (``Analyser.is_ordinary``: "month", "store", "wife") or a one-word member of a synonym
        group is what the customer meant, never a typo of a help-centre word ("money",
        "stolen"): it is not corrected however rarely it was typed."""
        known = set(self.vocabulary)
        for word, count in word_counts.items():
            if count >= 3:
                known.add(word)
        index: dict[str, set[str]] = {}
        for word in known:
            if len(word) >= 3:
                for d in self.analyser.deletes(word, self.analyser.max_edits(word)):
                    index.setdefault(d, set()).add(word)
        self.corrections = {}
        for word, count in word_counts.items():
            limit = self.analyser.max_edits(word)
            if not limit or word in self.vocabulary or any(ch.isdigit() for ch in word):
                continue
            if self.analyser.is_ordinary(word) or self.groups.knows((self.analyser.stem(word),)):
                continue  # an everyday word, or the writer's own synonym: meant as typed
            candidates = set()
            for d in self.analyser.deletes(word, limit):
                candidates |= index.get(d, set())
            best = None
            for target in candidates:
                if target == word or self.analyser.stem(target) == self.analyser.stem(word) or target[0] != word[0]:
                    continue
                if count >= 3 and word_counts.get(target, 0) < 2 * count:
                    continue  # customers type it often, and not much less than the target: a word of its own
                distance = self.analyser.distance(word, target, min(limit, self.analyser.max_edits(target)))
                if distance > limit:
                    continue
                rank = (distance, target not in self.vocabulary, -word_counts.get(target, 0), target)
                if best is None or rank < best[0]:
                    best = (rank, target)
            if best:
                self.corrections[word] = best[1]

    # -- analysis ----------------------------------------------------------------------
    def synonym_text(self, folded: str) -> tuple[str, list[str]]:
        """The text's words with every synonym-group member rewritten to its group's first
        member (as words), and the rules applied."""
        tokens = self.analyser.words(folded)
        stems_ = [self.analyser.stem(t) for t in tokens]
        out, steps, pos = [], [], 0
        starts = {}
        for p, gi, member in self.groups.matches(stems_):
            starts.setdefault(p, []).append((gi, member))
        while pos < len(tokens):
            here = sorted(starts.get(pos, ()), key=lambda gm: (-len(gm[1]), gm[0]))
            if not here:
                out.append(tokens[pos])
                pos += 1
                continue
            gi, member = here[0]
            head = self.groups.groups[gi][0]
            typed = " ".join(tokens[pos:pos + len(member)])
            canonical = self._heads.get(head, list(head))
            out.extend(canonical)
            if member != head:
                steps.append(f"synonym: “{typed}” → “{' '.join(canonical)}”")
            pos += len(member)
        return " ".join(out), steps

    def analyse(self, query: str) -> Analysis:
        steps: list[str] = []
        folded = fold(query)
        if folded != query.strip():
            if folded != query.strip().lower():
                steps.append("accents and punctuation folded")
            elif query.strip() != query.strip().lower():
                steps.append("case folded")
        tokens = folded.split()
        kept = [t for t in tokens if not self.analyser.is_stop(t)]
        dropped = [t for t in tokens if self.analyser.is_stop(t)]
        if dropped and kept:
            steps.append("stop words dropped: " + ", ".join(dict.fromkeys(dropped)))
        else:
            kept = kept or tokens
        fixed_words = []
        for token in kept:
            fixed = self.corrections.get(token, token)
            if fixed != token:
                steps.append(f"typo: “{token}” → “{fixed}”")
            split = self.parts(fixed)
            if len(split) > 1:
                steps.append(f"compound: “{fixed}” → “{' '.join(split)}”")
            fixed_words.extend(split)
        stems_ = []
        for word in fixed_words:
            root = self.analyser.stem(word)  # the report's language's stemmer (German failed searches: German stems)
            if root != word:
                steps.append(f"stem: “{word}” → “{root}”")
            stems_.append(root)
        canonical, applied = self.groups.canonical(stems_)
        for pos, member, head in applied:
            typed = " ".join(fixed_words[pos:pos + len(member)])
            steps.append(f"synonym: “{typed}” → “{' '.join(self._heads.get(head, head))}”")
        key = tuple(sorted(set(canonical))) or (folded,)
        return Analysis(key, steps, tuple(fixed_words))

    def stems_of(self, text: str) -> set[str]:
        """The stems of a text after synonym folding (for coverage checks on items)."""
        terms = [self.analyser.stem(p) for w in self.analyser.words(text) for p in self.parts(w)]
        canonical, _ = self.groups.canonical(terms)
        return set(canonical)
