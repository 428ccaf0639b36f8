"""``carebase translate start|done``: begin a translation beside its source, and record
which text of the source it translates once it is done (so ``carebase check`` can tell
when the source changes again)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

NAME = "translate"
HELP = "Start a translation beside its source (start), or record that it matches the source's text now (done)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("start", "done"),
                        help="start: copy a source to <name>.<lang>.<ext> with the source's revision recorded "
                             "(articles as drafts); done: record the source's current revision in translations")
    parser.add_argument("paths", nargs="+", metavar="FILE",
                        help="start: the source file (an article, a FAQ file or a video file); "
                             "done: one or more translation files (billing/refunds.de.md)")
    parser.add_argument("--to", metavar="LANG", help="start: the language of the translation (e.g. de)")
    parser.add_argument("--root", metavar="DIR",
                        help="the content folder (default: ./content when it holds the files, else the nearest "
                             "folder above them with categories.yml, synonyms.yml, faq/ or videos/)")
    parser.add_argument("-f", "--config-file", metavar="FILE",
                        help="the mkdocs.yml whose 'languages' apply (default: ./mkdocs.yml when it exists)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be written, change nothing")


def _fail(message: str, code: int = 1) -> int:
    print(f"carebase translate: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from carebase.cli.check import _find_root
    from carebase.content.languages import Languages, languages_from_config

    missing = [p for p in args.paths if not os.path.isfile(p)]
    if missing:
        return _fail(f"expected a file, found nothing at {missing[0]!r}.", 2)
    files = [Path(p).resolve() for p in args.paths]
    root = _find_root(files, args.root)
    if root is None or not root.is_dir():
        return _fail(f"cannot tell which content folder holds {args.paths[0]!r}: pass it with --root.", 2)
    config = args.config_file or ("mkdocs.yml" if os.path.isfile("mkdocs.yml") else None)
    languages, _ = languages_from_config(config) if config else (Languages(), [])
    rels = [f.relative_to(root).as_posix() for f in files]
    if args.action == "start":
        if len(rels) != 1 or not args.to:
            return _fail("start: expected one source file and --to LANG (e.g. 'carebase translate start "
                         "content/billing/refunds.md --to de').", 2)
        return _start(root, rels[0], args.to, languages, args)
    if args.to:
        return _fail("done: --to is for start (a translation's language is in its name).", 2)
    return _done(root, rels, languages, args)


def _loaded(root: Path, languages, extra: str = ""):
    from carebase.content.languages import Languages
    from carebase.content.translations import load_languages

    codes = languages.codes + ((extra,) if extra and extra not in languages.codes else ())
    return load_languages(root, Languages(codes))


def _start(root: Path, rel: str, lang: str, languages, args) -> int:
    from carebase.content.languages import english_name, known, split_name
    from carebase.content.translations import translation_path

    if not known(lang):
        return _fail(f"--to: expected a language code such as de, fr or pt-BR, found {lang!r}.", 2)
    if split_name(rel)[1] and (root / split_name(rel)[0]).is_file():
        return _fail(f"expected a source file, found {rel}, a translation; start from {split_name(rel)[0]}.", 2)
    if lang == languages.default:
        return _fail(f"--to: expected another language than the default ({lang}, the sources' language).", 2)
    target = translation_path(rel, lang)
    if (root / target).exists():
        return _fail(f"{_shown(root, target)} exists already: translate it there, then run "
                     f"'carebase translate done {_shown(root, target)}'.")
    ml = _loaded(root, languages, lang)
    try:
        text, note = _first_copy(ml.default, rel, (root / rel).read_text(encoding="utf-8"))
    except ValueError as exc:
        return _fail(str(exc))
    if args.dry_run:
        print(text, end="")
        return 0
    (root / target).write_text(text, encoding="utf-8")
    print(f"Wrote {_shown(root, target)}, a copy of {_shown(root, rel)} to translate into {english_name(lang)}. "
          f"{note}")
    if lang not in languages:
        print(f"Note: {lang!r} is not in 'languages' in mkdocs.yml yet: add it to publish the translation.")
    return 0


def _first_copy(catalogue, rel: str, text: str) -> tuple[str, str]:
    from carebase.content import translate_edits as edits
    from carebase.content.translations import text_revision

    if rel.endswith(".md"):
        article = next((a for a in catalogue.articles if a.path == rel), None)
        if article is None:
            raise ValueError(f"{rel}: expected an article that loads ('carebase check' says why it does not)")
        return (edits.set_article_revision(text, text_revision(article), where=rel, draft=True),
                "It is a draft (not published): translate the title, summary, keywords and text, then remove "
                "'draft: true'.")
    group = next((g for g in catalogue.faqs if g.path == rel), None)
    if group is not None:
        return (edits.set_faq_revisions(text, _faq_revisions(group, text, rel), where=rel),
                "Translate every question and answer; keep each 'id:' (the question's anchor in every language).")
    video = next((v for v in catalogue.videos if v.path == rel), None)
    if video is not None:
        return (edits.set_yaml_revision(text, text_revision(video), where=rel),
                "Translate the title, summary and chapters; point 'transcript' and 'captions' at files in the "
                "new language if you have them.")
    raise ValueError(f"{rel}: expected an article, a FAQ file (faq/*.yml) or a video file (videos/*.yml)")


def _faq_revisions(group, text: str, rel: str, by_anchor=None) -> dict[int, tuple[str, str]]:
    """{position in the file: (anchor, revision)} for the questions of ``text`` whose anchor
    ``by_anchor`` (default: the group's own questions) knows."""
    import yaml

    from carebase.content.ids import slugify
    from carebase.content.translations import text_revision

    by_anchor = by_anchor if by_anchor is not None else {q.anchor: q for q in group.questions}
    raw = (yaml.safe_load(text) or {}).get("questions") or []
    out = {}
    for n, entry in enumerate(raw):
        if not isinstance(entry, dict):
            continue
        given = str(entry.get("id") or "").split("#", 1)[-1]
        anchor = given or slugify(str(entry.get("question") or ""), "question")
        if anchor in by_anchor:
            out[n] = (anchor, text_revision(by_anchor[anchor]))
    return out


def _done(root: Path, rels: list[str], languages, args) -> int:
    from carebase.content import translate_edits as edits
    from carebase.content.languages import split_name
    from carebase.content.translations import text_revision

    extra = {split_name(r)[1] for r in rels} - set(languages.codes)
    ml = _loaded(root, languages, next(iter(extra), ""))
    failed = 0
    for rel in rels:
        source_rel, lang = split_name(rel)
        if not lang or not (root / source_rel).is_file():
            failed += _fail(f"{_shown(root, rel)}: expected a translation (<name>.<lang>.<ext> beside its source), "
                            "found none") or 1
            continue
        path = root / rel
        text = path.read_text(encoding="utf-8")
        try:
            if rel.endswith(".md") or source_rel.startswith("videos/"):
                source = next((i for i in (*ml.default.articles, *ml.default.videos) if i.path == source_rel), None)
                if source is None:
                    raise ValueError(f"{source_rel}: expected a source item that loads ('carebase check' says why)")
                setter = edits.set_article_revision if rel.endswith(".md") else edits.set_yaml_revision
                new = setter(text, text_revision(source), where=rel)
                count = 1
            else:
                group = next((g for g in ml.default.faqs if g.path == source_rel), None)
                if group is None:
                    raise ValueError(f"{source_rel}: expected a FAQ file that loads ('carebase check' says why)")
                revisions = _faq_revisions(group, text, rel)
                new = edits.set_faq_revisions(text, revisions, where=rel)
                count = len(revisions)
        except (ValueError, KeyError) as exc:
            failed += _fail(str(exc)) or 1
            continue
        if new == text:  # said, not left silent: an empty diff read as "the command did nothing"
            print(f"{_shown(root, rel)}: records the source's current revision already; nothing "
                  f"{'would change' if args.dry_run else 'changed'}.")
            continue
        if args.dry_run:
            _diff(text, new, rel)
            continue
        path.write_text(new, encoding="utf-8")
        what = "item" if count == 1 else "items"
        print(f"{_shown(root, rel)}: recorded the source's current revision ({count} {what}); "
              f"it is current until {_shown(root, source_rel)} changes again.")
    return 1 if failed else 0


def _diff(old: str, new: str, rel: str) -> None:
    import difflib

    sys.stdout.writelines(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                               f"a/{rel}", f"b/{rel}"))


def _shown(root: Path, rel: str) -> str:
    path = root / rel
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:
        return str(path)
