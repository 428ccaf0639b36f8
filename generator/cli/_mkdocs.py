"""What ``carebase build`` and ``carebase serve`` share: finding mkdocs.yml, MkDocs' logging
on the terminal, and whether to show progress."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path


def wants_progress(quiet: bool) -> bool:
    """Progress lines on an interactive terminal; quiet in CI and when piped."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.counts = {"WARNING": 0, "ERROR": 0}

    def emit(self, record):
        key = "ERROR" if record.levelno >= logging.ERROR else "WARNING"
        self.counts[key] += 1


def setup_logging(progress: bool) -> _Counter:
    logger = logging.getLogger("mkdocs")
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.INFO if progress else logging.WARNING)
    logger.addHandler(handler)
    counter = _Counter()
    logger.addHandler(counter)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return counter


def config_file_of(args: argparse.Namespace, command: str) -> Path | None:
    """The mkdocs.yml that ``carebase build``/``serve`` run on, or ``None`` after saying it
    does not exist (the caller exits 2). Also silences MkDocs' notice about MkDocs 2."""
    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(f"carebase {command}: {config_file}: no such file (run in the folder with mkdocs.yml or pass -f)",
              file=sys.stderr)
        return None
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return config_file
