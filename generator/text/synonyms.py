"""Synonym groups (``synonyms.yml``), matched on the analyser's terms (stems), so plurals
and verb forms of a member match too. One class for search (a query's words gain the
other members), the report (a member phrase is rewritten to its group's first member)
and the client index (an item that mentions a member is found by every member)."""

from __future__ import annotations

from typing import Iterable


class SynonymGroups:
    def __init__(self, groups: Iterable[Iterable[str]], analyser):
        self.groups: list[list[tuple[str, ...]]] = []
        self.first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for group in groups:
            members: list[tuple[str, ...]] = []
            for phrase in group:
                terms = tuple(analyser.terms(str(phrase)))
                if len(terms) != len(analyser.words(str(phrase), keep_stop_words=True)):
                    continue  # lost a stop word ("on hold" → "hold"): too loose to match
                if terms and terms not in members:
                    members.append(terms)
            if len(members) < 2:
                continue
            gi = len(self.groups)
            self.groups.append(members)
            for m in members:
                self.first.setdefault(m[0], []).append((gi, m))

    def knows(self, terms: tuple[str, ...]) -> bool:
        """Whether these terms are a one-word member of some group."""
        return len(terms) == 1 and any(m == terms for _, m in self.first.get(terms[0], ()))

    def matches(self, terms: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """(position, group index, member) for every member phrase found in ``terms``."""
        found = []
        for pos, term in enumerate(terms):
            for gi, member in self.first.get(term, ()):
                if tuple(terms[pos:pos + len(member)]) == member:
                    found.append((pos, gi, member))
        return found

    def canonical(self, terms: list[str]) -> tuple[list[str], list[tuple[int, tuple[str, ...], tuple[str, ...]]]]:
        """The terms with every member phrase replaced by its group's first member, longest
        phrase first; and the (position, member, canonical) rewrites applied (for the
        report's "why")."""
        out: list[str] = []
        applied = []
        pos = 0
        matches: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
        for p, gi, member in self.matches(terms):
            matches.setdefault(p, []).append((gi, member))
        while pos < len(terms):
            here = sorted(matches.get(pos, ()), key=lambda gm: (-len(gm[1]), gm[0]))
            if here:
                gi, member = here[0]
                head = self.groups[gi][0]
                out.extend(head)
                if member != head:
                    applied.append((pos, member, head))
                pos += len(member)
            else:
                out.append(terms[pos])
                pos += 1
        return out, applied

    def group_terms(self, terms: list[str]) -> list[str]:
        """Every term of every group a member of which occurs in ``terms``."""
        extra: list[str] = []
        seen = set()
        for _, gi, _ in self.matches(terms):
            if gi not in seen:
                seen.add(gi)
                for member in self.groups[gi]:
                    extra.extend(member)
        return extra
