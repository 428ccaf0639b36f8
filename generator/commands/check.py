"""``carebase check [PATH]``: load and validate a content folder, print every problem."""

from __future__ import annotations

import argparse
import os
import sys

NAME = "check"
HELP = "Check a content folder: every problem with its file, line and field."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default="content", metavar="PATH",
                        help="the content folder (default: content)")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text for people (default), json for programs, github for GitHub Actions annotations")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too (exit 1)")


def _colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def run(args: argparse.Namespace) -> int:
    if not os.path.isdir(args.path):
        what = "a file" if os.path.exists(args.path) else "nothing"
        print(f"carebase check: expected a content folder at {args.path!r}, found {what}.\n"
              "Pass the folder that holds your articles, faq/ and videos/ (e.g. 'carebase check content').",
              file=sys.stderr)
        return 2
    from carebase.content import formats, load_catalogue

    catalogue = load_catalogue(args.path)
    root = args.path.rstrip("/\\") or args.path
    if args.format == "json":
        out = formats.as_json(catalogue, root)
    elif args.format == "github":
        out = formats.github(catalogue, root)
    else:
        out = formats.text(catalogue, root, colour=_colour(sys.stdout), strict=args.strict)
    try:
        print(out, flush=True)
    except BrokenPipeError:  # `carebase check | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if catalogue.errors or (args.strict and catalogue.warnings):
        return 1
    return 0
