"""What ``carebase build`` and ``carebase serve`` share: finding mkdocs.yml, MkDocs' logging
on the terminal, and whether to show progress."""

from __future__ import annotations

import argparse
import contextlib
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


class _HideNoise(logging.Filter):
    """MkDocs messages that say nothing to a help-centre writer, and the site folder named as
    every carebase command names files (from the folder it was run in). carebase keeps articles, FAQ
    and video pages out of ``nav`` on purpose (a bounded navigation), so MkDocs lists every
    page as "not included in the nav" on each build — a list as long as the site that buried
    the content problems (file:line) printed with it."""

    NOISE = ('exist in the docs directory, but are not included in the "nav" configuration',
             "Cleaning site directory")
    TO_DIRECTORY = "Building documentation to directory: "

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(self.TO_DIRECTORY):  # MkDocs names the site folder whole
            from carebase.content.formats import shown_path

            record.msg, record.args = self.TO_DIRECTORY + shown_path(message[len(self.TO_DIRECTORY):]), ()
        return not (record.levelno < logging.WARNING and any(n in message for n in self.NOISE))


def setup_logging(progress: bool) -> _Counter:
    logger = logging.getLogger("mkdocs")
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.addFilter(_HideNoise())
    handler.setLevel(logging.INFO if progress else logging.WARNING)
    logger.addHandler(handler)
    counter = _Counter()
    logger.addHandler(counter)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return counter


def config_file_of(args: argparse.Namespace, command: str) -> Path | None:
    """The mkdocs.yml that ``carebase build``/``serve`` run on, or ``None`` after saying it
    does not exist or its ``INHERIT`` chain cannot be followed (the caller exits 2). Also silences
    MkDocs' notice about MkDocs 2."""
    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(f"carebase {command}: {config_file}: no such file (run in the folder with mkdocs.yml or pass -f)",
              file=sys.stderr)
        return None
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from carebase.content.formats import shown_path
    from carebase.content.option_lines import inherit_problem

    broken = inherit_problem(config_file)
    if broken:  # MkDocs itself would end in a traceback (a RecursionError, a TypeError)
        place, message = broken
        print(f"carebase {command}: {shown_path(place.file)}:{place.line}: INHERIT: {message}", file=sys.stderr)
        return None
    return config_file


@contextlib.contextmanager
def site_folder_on_path(config_file: Path):
    """The folder of mkdocs.yml on Python's path while MkDocs reads the config and builds, so a
    Markdown extension kept as a file there (``markdown_extensions: [my_ext]`` beside
    ``my_ext.py``) loads with the ``carebase`` console script as with ``python -m mkdocs build`` run
    in that folder (a console script's path starts at its own bin folder, not the working one: the
    ``mkdocs`` script stops with "Failed to load extension"). Last on the path, unlike ``python -m``:
    a file there never hides an installed package (a ``material.py`` beside mkdocs.yml made ``python
    -m mkdocs build`` end in that file's traceback). A hooks file's later imports find the site's
    modules the same way. ``carebase check`` runs none of them (_check_config.py)."""
    folder = str(Path(config_file).resolve().parent)
    added = folder not in sys.path
    if added:
        sys.path.append(folder)
    try:
        yield
    finally:
        if added:
            with contextlib.suppress(ValueError):
                sys.path.remove(folder)
