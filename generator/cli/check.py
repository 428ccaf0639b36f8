"""``carebase check [PATH ...]``: load and validate a content folder (or some of its files),
print every problem; in a help centre of several languages, every language's files, the
stale translations and (``--missing``) the missing ones."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

NAME = "check"
HELP = "Check a content folder (or files in it): every problem with its file, line and field."
ROOT_MARKERS = ("categories.yml", "synonyms.yml", "faq", "videos")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["content"], metavar="PATH",
                        help="the content folder (default: content), or one or more files in it, checked in "
                             "the context of their content folder (links and related ids to other items resolve)")
    parser.add_argument("--root", metavar="DIR",
                        help="with files: their content folder (default: ./content when it holds them, else the "
                             "nearest folder above them with categories.yml, synonyms.yml, faq/ or videos/)")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text for people (default), json for programs, github for GitHub Actions annotations")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too (exit 1)")
    parser.add_argument("-f", "--config-file", metavar="FILE",
                        help="the mkdocs.yml whose carebase plugin settings (languages, file size limits) apply "
                             "(default: ./mkdocs.yml when it exists, else one language and the built-in limits)")
    parser.add_argument("--missing", nargs="?", const="*", default=None, metavar="LANG",
                        help="list every missing translation (of LANG only, e.g. --missing de), with the "
                             "source's file and line; without it they are counted")


def _colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _usage(message: str) -> int:
    print(f"carebase check: {message}", file=sys.stderr)
    return 2


def _find_root(files: list[Path], given: str | None) -> Path | None:
    """The content folder holding every file: --root, ./content, or the nearest marked folder."""
    if given:
        return Path(given).resolve()
    default = Path("content").resolve()
    if default.is_dir() and all(default in f.parents for f in files):
        return default
    for folder in files[0].parents:
        if any((folder / marker).exists() for marker in ROOT_MARKERS) and all(folder in f.parents for f in files):
            return folder
    return None


def _only(catalogue, wanted: set[str]):
    """The catalogue narrowed to the checked files: their problems and their items."""
    return dataclasses.replace(
        catalogue,
        articles=tuple(a for a in catalogue.articles if a.path in wanted),
        faqs=tuple(g for g in catalogue.faqs if g.path in wanted),
        videos=tuple(v for v in catalogue.videos if v.path in wanted),
        categories=catalogue.categories if "categories.yml" in wanted else (),
        synonyms=catalogue.synonyms if "synonyms.yml" in wanted else (),
        problems=tuple(p for p in catalogue.problems if p.path in wanted),
        _index={},
    )


def _files_mode(args: argparse.Namespace):
    """(root shown to the user, catalogue narrowed to the files, label) or an exit code."""
    from carebase.content.translations import load_languages

    files = [Path(p).resolve() for p in args.paths]
    root = _find_root(files, args.root)
    if root is None or not root.is_dir():
        where = f"--root {args.root!r} is not a folder" if args.root else \
            f"cannot tell which content folder holds {args.paths[0]!r}"
        return _usage(f"{where}. Pass it with --root (e.g. 'carebase check --root content {args.paths[0]}').")
    outside = [p for p, f in zip(args.paths, files) if root not in f.parents]
    if outside:
        return _usage(f"expected files inside the content folder {str(root)!r}, found {outside[0]!r}.")
    shown = str(root) if os.path.isabs(args.root or args.paths[0]) else os.path.relpath(root)
    wanted = {f.relative_to(root).as_posix() for f in files}
    ml = load_languages(root, args.languages, args.limits)
    catalogue = _only(dataclasses.replace(ml.default, problems=ml.problems), wanted)
    label = [os.path.normpath(os.path.join(shown, w)).replace(os.sep, "/") for w in sorted(wanted)]
    return shown, catalogue, label, ml, wanted


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        return _usage(f"expected a content folder (or a file in one) at {missing[0]!r}, found nothing.\n"
                      "Pass the folder that holds your articles, faq/ and videos/ (e.g. 'carebase check content'), "
                      "or files in it.")
    folders = [p for p in args.paths if os.path.isdir(p)]
    if folders and len(args.paths) > 1:
        return _usage(f"expected one content folder or files, found the folder {folders[0]!r} among "
                      f"{len(args.paths)} paths.")
    from carebase.cli._check_config import SiteConfig, read_site_config
    from carebase.content.languages import Languages, languages_from_config
    from carebase.content.limits import DEFAULTS, limits_from_config
    from carebase.content.translations import load_languages

    config = args.config_file or ("mkdocs.yml" if os.path.isfile("mkdocs.yml") else None)
    if args.config_file and not os.path.isfile(args.config_file):
        return _usage(f"expected a mkdocs.yml at {args.config_file!r} (--config-file), found nothing.")
    settings = read_site_config(config) if config else SiteConfig(Languages(), DEFAULTS)
    if settings.languages is None:  # mkdocs.yml does not validate (its problems are listed): read what it says
        settings.limits = limits_from_config(config)[0]
        settings.languages = languages_from_config(config)[0]
    args.limits, args.languages = settings.limits, settings.languages
    if args.missing not in (None, "*") and args.missing not in args.languages.others:
        return _usage(f"--missing: expected one of the site's other languages "
                      f"({', '.join(args.languages.others) or 'none: languages in mkdocs.yml lists one'}), "
                      f"found {args.missing!r}.")

    if folders:
        from carebase.strings import check_strings

        ml = load_languages(folders[0], args.languages, args.limits)
        # carebase's own texts per language (strings.<lang>.yml): missing ones are shown in English
        from carebase.strings.site import site_texts_from_config

        site = site_texts_from_config(config) if config else {}
        texts = check_strings(folders[0], args.languages.codes, args.languages.default, site)
        catalogue = dataclasses.replace(ml.default, problems=(*ml.problems, *texts))
        root = folders[0].rstrip("/\\") or folders[0]
        label, only = None, None
    else:
        found = _files_mode(args)
        if isinstance(found, int):
            return found
        root, catalogue, label, ml, only = found
    if settings.problems:  # mkdocs.yml's, named from the content folder as the content's files are
        catalogue = dataclasses.replace(catalogue, problems=(*catalogue.problems, *(
            dataclasses.replace(p, path=_from_root(p.path, root)) for p in settings.problems)))
    args.config_errors = config if any(p.is_error for p in settings.problems) else ""
    out = _render(args, catalogue, ml, root, label, only)
    try:
        print(out, flush=True)
    except BrokenPipeError:  # `carebase check | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if catalogue.errors or (args.strict and catalogue.warnings):
        return 1
    return 0


def _command(args) -> list[str]:
    """The check that was run, as words: what the closing hint says to run again."""
    words = ["carebase", "check"]
    if args.strict:
        words.append("--strict")
    if args.config_file:
        words += ["-f", args.config_file]
    if args.root:
        words += ["--root", args.root]
    if args.missing and args.missing != "*":
        words += ["--missing", args.missing]
    words += args.paths
    if args.missing == "*":  # after the paths: --missing takes an optional language, and read
        words.append("--missing")  # before them it would take the first path for one
    return words


def _from_root(path: str, root: str) -> str:
    try:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        return os.path.abspath(path)


def _render(args, catalogue, ml, root: str, label, only) -> str:
    """The problems, then the translations' state (stale ones, missing ones with --missing)."""
    import json

    from carebase.content import formats, translation_status

    missing = {args.missing} if args.missing else set()
    if args.format == "json":
        data = json.loads(formats.as_json(catalogue, root, checked=label))
        if ml.languages.others:
            data["translations"] = translation_status.as_json(ml, root, only=only)
        return json.dumps(data, indent=2, ensure_ascii=False)
    if args.format == "github":
        lines = translation_status.github_lines(ml, root, missing=missing, only=only)
        return "\n".join(lines + [formats.github(catalogue, root, checked=label)])
    out = formats.text(catalogue, root, colour=_colour(sys.stdout), strict=args.strict, checked=label,
                       command=_command(args), config_errors=args.config_errors)
    lines = translation_status.text_lines(ml, root, colour=_colour(sys.stdout), missing=missing, only=only)
    return "\n".join(lines + [""] + [out]) if lines else out
