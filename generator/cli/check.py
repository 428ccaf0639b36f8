"""``carebase check [PATH ...]``: load and validate a content folder (or some of its files),
print every problem."""

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
                        help="the mkdocs.yml whose carebase plugin settings (file size limits) apply "
                             "(default: ./mkdocs.yml when it exists, else the built-in limits)")


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
    from carebase.content import load_catalogue

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
    catalogue = _only(load_catalogue(root, args.limits), wanted)
    label = [os.path.normpath(os.path.join(shown, w)).replace(os.sep, "/") for w in sorted(wanted)]
    return shown, catalogue, label


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
    from carebase.content import formats, load_catalogue
    from carebase.content.limits import DEFAULTS, limits_from_config

    config = args.config_file or ("mkdocs.yml" if os.path.isfile("mkdocs.yml") else None)
    if args.config_file and not os.path.isfile(args.config_file):
        return _usage(f"expected a mkdocs.yml at {args.config_file!r} (--config-file), found nothing.")
    args.limits, complaints = limits_from_config(config) if config else (DEFAULTS, [])
    for complaint in complaints:
        print(f"carebase check: {config}: plugins.carebase.{complaint}", file=sys.stderr)

    if folders:
        catalogue = load_catalogue(folders[0], args.limits)
        root = folders[0].rstrip("/\\") or folders[0]
        label = None
    else:
        found = _files_mode(args)
        if isinstance(found, int):
            return found
        root, catalogue, label = found
    if args.format == "json":
        out = formats.as_json(catalogue, root, checked=label)
    elif args.format == "github":
        out = formats.github(catalogue, root, checked=label)
    else:
        out = formats.text(catalogue, root, colour=_colour(sys.stdout), strict=args.strict, checked=label)
    try:
        print(out, flush=True)
    except BrokenPipeError:  # `carebase check | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if catalogue.errors or (args.strict and catalogue.warnings):
        return 1
    return 0
