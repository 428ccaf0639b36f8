"""The ``carebase`` command line, the top layer: one sub-command per public module of this
package (``carebase.cli.build``, ``carebase.cli.check``, …). Modules whose names start with
``_`` are helpers shared by several commands.

The CLI may import the core (``carebase.content``, ``carebase.search``, …), MkDocs and the
MkDocs adapter (``carebase.plugins``); nothing below it imports the CLI, and the core never
imports MkDocs or the adapter (tests/packaging/test_packaging_core_boundary.py).

Each command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``. Heavy imports happen inside ``run`` so ``carebase --help`` stays fast.

Exit codes: 0 success, 1 the work found problems (content errors, failed build),
2 usage errors (bad flags, missing paths).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from carebase import __version__


def command_modules() -> list[str]:
    """Every public module of this package is a sub-command (no central list to edit)."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a hint, like argparse, but friendlier
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for the options.\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (``only``: a command's name) the top level with that one
    command: what ``main`` parses a command's arguments with, so a command does not import
    every other command's module (~0.04 s of CPU each run, paid by every child process)."""
    parser = _Parser(prog="carebase", description="Self-service help-centre generator.")
    parser.add_argument("--version", action="version", version=f"carebase {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in command_modules():
        if only is not None and name != only:
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from carebase.children import exit_with_parent

    exit_with_parent()  # a command a carebase process started (the live report's build) ends with it
    given = sys.argv[1:] if argv is None else list(argv)
    named = given[0] if given and given[0] in command_modules() else None
    parser = build_parser(only=named)
    args = parser.parse_args(given)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    from carebase.content.review_day import review_day

    try:
        review_day()  # a bad SOURCE_DATE_EPOCH is one usage error, not an error per content file
    except ValueError as bad:
        print(f"carebase: error: {bad}", file=sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
