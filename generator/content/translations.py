"""Translations: the same items in other languages, and which are missing or stale.

``load_languages(root, languages)`` loads the default language's catalogue (the sources)
and one catalogue per other language (its translations, ``refunds.de.md`` beside
``refunds.md``; see ``carebase.content.languages`` for the naming), and states for every
published source item and other language whether its translation is **current**,
**stale** or **missing**.

A translation is the source's item: it takes the source's id, aliases and category, and
its pages sit under ``/<lang>/``. FAQ questions keep their anchors in every language: a
translated question names the anchor of the question it translates in ``id:`` (its own
question text would slug to another anchor). ``source_revision`` records which text of
the source a translation translates (``text_revision``: the title, summary, keywords,
tags and text, not its metadata, so moving a ``review_by`` date makes nothing stale); the
translation is stale when the source's text has changed since. ``carebase translate``
starts a translation and records the revision when it is done.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path

from carebase.content.ids import revision
from carebase.content.languages import Languages, english_name, translation_of
from carebase.content.limits import DEFAULTS, Limit
from carebase.content.links import Claim
from carebase.content.loader import (_Loaded, _anchor_lookup, _known_ids, _left_out, _order, _without, assemble,
                                     load_files, scan_content)
from carebase.content.model import Article, Catalogue, Category, FaqGroup, FaqQuestion, Item, Video
from carebase.content.problems import Problem, WithProblems, error, warning
from carebase.content.validate import check_categories, check_claims, check_refs

CURRENT, STALE, MISSING = "current", "stale", "missing"


def text_revision(item: Item) -> str:
    """The revision of what a translator translates: the item's words, not its metadata."""
    if isinstance(item, Article):
        parts = [item.title, item.summary, *item.keywords, *item.tags, item.body]
    elif isinstance(item, FaqQuestion):
        parts = [item.question, item.answer, *item.keywords, *item.tags]
    else:
        parts = [item.title, item.summary, *item.keywords, *item.tags, *(c.title for c in item.chapters),
                 *(cue.text for cue in item.transcript)]
    return revision("\x1f".join(parts))


@dataclass(frozen=True, slots=True)
class TranslationState:
    """One published source item in one other language."""

    item_id: str
    lang: str
    state: str  # current | stale | missing
    kind: str  # article | faq | video
    title: str  # the source's
    source_path: str
    source_line: int
    source_revision: str  # text_revision of the source now
    path: str = ""  # the translation's file ("" when missing)
    line: int = 0  # its source_revision line (or the item's first line)
    recorded: str = ""  # the source_revision the translation records ("" none)
    draft: bool = False  # the translation exists but is a draft (not published)

    @property
    def where(self) -> tuple[str, int]:
        """The file and line to act on: the translation (stale), the source (missing)."""
        return (self.path, self.line) if self.state == STALE else (self.source_path, self.source_line)

    def message(self, root: str = "") -> str:
        """What to do, with the files named as the user named the content folder (``root``)."""
        name = english_name(self.lang)
        source, path = _joined(root, self.source_path), _joined(root, self.path)
        if self.state == MISSING:
            if self.draft:
                return (f"{self.lang}: expected a published {name} translation, found a draft ({path}); "
                        "remove 'draft: true' when it is ready")
            planned = _joined(root, translation_path(self.source_path, self.lang))
            return (f"{self.lang}: expected a {name} translation ({planned}), found none; "
                    f"'carebase translate start {source} --to {self.lang}' starts one")
        if not self.recorded:
            return (f"expected the revision of the text it translates ({self.source_revision}, "
                    f"{self.source_path} now), found none; when the translation matches the source, "
                    f"'carebase translate done {path}' records it")
        return (f"expected {self.source_revision} (the text of {self.source_path} now), found {self.recorded}: "
                f"the source changed since it was translated; update the {name} text, then run "
                f"'carebase translate done {path}'")


def _joined(root: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(root.replace("\\", "/"), path)) if root and path else path


def translation_path(source: str, lang: str) -> str:
    stem, dot, ext = source.rpartition(".")
    return f"{stem}.{lang}.{ext}" if dot else f"{source}.{lang}"


@dataclass(frozen=True)
class Multilingual(WithProblems):
    """Every language's catalogue (the default first) and the state of every translation."""

    languages: Languages
    catalogues: dict[str, Catalogue]
    states: tuple[TranslationState, ...] = ()
    problems: tuple[Problem, ...] = ()
    _by_item: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def default(self) -> Catalogue:
        return self.catalogues[self.languages.default]

    def published(self) -> "Multilingual":
        return replace(self, catalogues={lang: c.published() for lang, c in self.catalogues.items()}, _by_item={})

    def versions(self, item_id: str) -> dict[str, Item]:
        """language → the item in that language (the default included), for ids and aliases."""
        if not self._by_item:
            for lang, catalogue in self.catalogues.items():
                for item in catalogue.items():
                    self._by_item.setdefault(item.id, {})[lang] = item
        source = self.default.get(item_id)
        return dict(self._by_item.get(source.id if source is not None else item_id, {}))

    def in_state(self, state: str, lang: str | None = None) -> list[TranslationState]:
        return [s for s in self.states if s.state == state and (lang is None or s.lang == lang)]


def load_languages(root: str | Path, languages: Languages, limits: dict[str, Limit] | None = None) -> Multilingual:
    """The sources and every configured language's translations (problems as data, never raised)."""
    from carebase.content.loader import load_catalogue

    root = Path(root)
    if not root.is_dir():
        catalogue = load_catalogue(root, limits)
        return Multilingual(languages, {languages.default: replace(catalogue, language=languages.default)}, (),
                            catalogue.problems)
    tree, scan_problems = scan_content(root, limits or DEFAULTS)
    pairs = {rel: translation_of(rel, tree.files, languages.others) for rel in tree.files}
    sources = load_files(root, sorted(r for r, (_, lang) in pairs.items() if not lang), tree)
    sources.problems[:0] = scan_problems
    default = replace(assemble(root, sources, tree), language=languages.default)
    problems = list(default.problems) + _revisions_in_sources(default)
    catalogues = {languages.default: default}
    for lang in sorted({lang for _, lang in pairs.values() if lang}):
        rels = sorted(r for r, (_, code) in pairs.items() if code == lang)
        if lang not in languages:
            problems += [_unpublished(rel, lang, languages) for rel in rels]
            continue
        catalogues[lang] = _translations(root, lang, rels, {r: pairs[r][0] for r in rels}, tree, default)
        problems += catalogues[lang].problems
    for lang in languages.others:
        catalogues.setdefault(lang, Catalogue(str(root), categories=default.categories, language=lang))
    ordered = {lang: catalogues[lang] for lang in languages.codes}
    return Multilingual(languages, ordered, _states(default, ordered, languages),
                        tuple(sorted(set(problems), key=_order)))


def _unpublished(rel: str, lang: str, languages: Languages) -> Problem:
    if lang == languages.default:
        return warning(rel, 0, "", f"expected a translation into another language than the default "
                                   f"({lang}, the language of the sources), found one; it is not published")
    return warning(rel, 0, "", f"expected a language of the site ({', '.join(languages.codes)}), found {lang!r} "
                               f"({english_name(lang)}): this translation is not published; add {lang!r} to "
                               "'languages' in the carebase plugin settings (mkdocs.yml)")


def _revisions_in_sources(catalogue: Catalogue) -> list[Problem]:
    return [warning(item.path, item.source_revision_line, "source_revision",
                    "expected source_revision only in a translation, found it in a source (a file in the "
                    "default language); it is ignored")
            for item in catalogue.items() if item.source_revision]


def _translations(root: Path, lang: str, rels: list[str], source_of: dict[str, str], tree,
                  default: Catalogue) -> Catalogue:
    """One language's catalogue: its files loaded as they are, then made the source's items."""
    out = load_files(root, rels, tree, kind_of=source_of.get)
    problems = out.problems
    by_path = {i.path: i for i in (*default.articles, *default.videos)}
    groups = {g.path: g for g in default.faqs}
    renamed: dict[str, str] = {}  # the id a file's own name gives → the source's id
    articles = _paired(out.articles, source_of, by_path, lang, problems, renamed)
    videos = _paired(out.videos, source_of, by_path, lang, problems, renamed)
    slots = {m.target: m.field.split(".")[0] for m in out.marks
             if isinstance(m, Claim) and not m.alias and m.field.startswith("questions[")}
    faqs = [g for g in (_faq_group(g, groups.get(source_of[g.path]), lang, problems, renamed, slots)
                        for g in out.faqs) if g]
    claim_problems, dropped = check_claims(out.marks)
    problems += claim_problems
    if dropped:
        articles = [a for a in articles if (a.path, a.line) not in dropped]
        videos = [v for v in videos if (v.path, v.line) not in dropped]
        faqs = [_without(g, dropped) for g in faqs if (g.path, g.line) not in dropped]
    if "categories.yml" in tree.files:
        problems += check_categories(out.marks, default.categories)
    known = _known_ids(default.articles, default.faqs, default.videos)
    anchors = _anchor_lookup([*articles, *default.articles], [*faqs, *default.faqs], videos)
    problems += check_refs(out.marks, known, tree, anchors)
    categories = _categories(out, default, problems)
    left_out = frozenset(renamed.get(i, i) for i in _left_out(problems, out.marks, articles, faqs, videos))
    return Catalogue(str(root), tuple(articles), tuple(faqs), tuple(videos), categories, out.synonyms,
                     tuple(sorted(set(problems), key=_order)), left_out, language=lang)


def _paired(items, source_of, by_path, lang, problems, renamed):
    """Articles or videos of one language, each given its source's id, aliases and category."""
    out = []
    for item in items:
        source = by_path.get(source_of[item.path])
        if source is None:
            problems.append(error(item.path, item.line, "", f"expected a translation of {source_of[item.path]}, "
                                                            "found no such item (a translation sits beside its "
                                                            "source, with the language before the extension)"))
            continue
        renamed[item.id] = source.id
        if item.id != source.id and not item.id.endswith("." + lang):
            problems.append(warning(item.path, item.line, "id", f"expected no id in a translation (it keeps "
                                                               f"{source.id!r}, its source's), found {item.id!r}"))
        if item.category and item.category != source.category:
            problems.append(warning(item.path, item.line, "category",
                                    f"expected the source's category {source.category!r} (a translation is the "
                                    f"same item), found {item.category!r}; the source's is used"))
        out.append(replace(item, id=source.id, aliases=source.aliases, category=source.category, lang=lang))
    return out


def _faq_group(group: FaqGroup, source: FaqGroup | None, lang: str, problems: list[Problem],
               renamed: dict[str, str], slots: dict[str, str]) -> FaqGroup | None:
    """A translated FAQ file: its questions keep the anchors of the questions they translate."""
    if source is None:
        problems.append(error(group.path, group.line, "", "expected a translation of an existing FAQ file, found "
                                                          "no source beside it"))
        return None
    anchors = [q.anchor for q in source.questions]
    renamed[group.id] = source.id
    questions = []
    for i, q in enumerate(group.questions):
        renamed[q.id] = f"{source.id}#{q.anchor}"
        if q.anchor not in anchors:
            slot = slots.get(q.id, f"questions[{i}]")
            n = int(slot[len("questions["):-1])
            hint = f" (by position, {anchors[n]!r})" if n < len(anchors) else ""
            problems.append(error(q.path, q.line, f"{slot}.id",
                                  f"expected the anchor of the question it translates in {source.path}{hint}, found "
                                  f"{q.anchor!r}: anchors stay the same in every language (set 'id:')"))
            continue
        questions.append(replace(q, id=f"{source.id}#{q.anchor}", group_id=source.id, category=source.category,
                                 aliases=next(s.aliases for s in source.questions if s.anchor == q.anchor), lang=lang))
    return replace(group, id=source.id, questions=tuple(questions), category=source.category, lang=lang)


def _categories(out: _Loaded, default: Catalogue, problems: list[Problem]) -> tuple[Category, ...]:
    """The source's categories with the titles and descriptions of ``categories.<lang>.yml``."""
    given = {c.id: c for c in out.categories}
    known = {c.id for c in default.categories}
    for c in out.categories:
        if c.id not in known:
            problems.append(error(c.path, c.line, "id", f"expected the id of a category in categories.yml, "
                                                        f"found {c.id!r}"))
    return tuple(replace(c, title=given[c.id].title, description=given[c.id].description or c.description)
                 if c.id in given else c for c in default.categories)


def translation_states(default: Catalogue, catalogues: dict[str, Catalogue],
                       languages: Languages) -> tuple[TranslationState, ...]:
    """The state (current, stale, missing) of every published source item in every other
    language, from the catalogues alone (the report reads them from the build output)."""
    return _states(default, catalogues, languages)


def _states(default: Catalogue, catalogues: dict[str, Catalogue], languages: Languages) -> tuple[TranslationState, ...]:
    sources = [i for i in default.items() if not getattr(i, "draft", False) and i.id not in default.left_out]
    out = []
    for lang in languages.others:
        translated = {i.id: i for i in catalogues[lang].items() if i.id not in catalogues[lang].left_out}
        for item in sources:
            now = text_revision(item)
            base = dict(item_id=item.id, lang=lang, kind=item.kind, title=item.title, source_path=item.path,
                        source_line=item.line, source_revision=now)
            found = translated.get(item.id)
            if found is None or getattr(found, "draft", False):
                out.append(TranslationState(state=MISSING, path=found.path if found else "",
                                            draft=found is not None, **base))
                continue
            state = CURRENT if found.source_revision == now else STALE
            out.append(TranslationState(state=state, path=found.path,
                                        line=found.source_revision_line or found.line,
                                        recorded=found.source_revision, **base))
    return tuple(out)
