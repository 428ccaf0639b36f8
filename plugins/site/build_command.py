"""``carebase build`` (MkDocs adapter): build the help centre with MkDocs (theme and plugin from mkdocs.yml)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

NAME = "build"
HELP = "Build the help centre into a static site (wraps 'mkdocs build')."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--config-file", default="mkdocs.yml",
                        help="the MkDocs configuration (default ./mkdocs.yml)")
    parser.add_argument("-d", "--site-dir", help="where to write the site (default: site_dir of the config, site/)")
    parser.add_argument("-s", "--strict", action="store_true",
                        help="fail on any warning too (content warnings, broken links, unknown options)")
    parser.add_argument("--dirty", action="store_true", help="only rebuild changed files (MkDocs' --dirty)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only print warnings and errors")


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


def run(args: argparse.Namespace) -> int:
    config_file = config_file_of(args, "build")
    if config_file is None:
        return 2
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    progress = wants_progress(args.quiet)
    counter = setup_logging(progress)
    started = time.perf_counter()
    overrides = {"strict": args.strict}
    if args.site_dir:
        overrides["site_dir"] = args.site_dir
    try:
        config = load_config(config_file=str(config_file), **overrides)
        build(config, dirty=args.dirty)
    except exceptions.Abort as exc:
        print(f"carebase build: {exc}", file=sys.stderr)
        return 1
    except exceptions.ConfigurationError as exc:
        print(f"carebase build: {config_file}: {exc}", file=sys.stderr)
        return 1
    if counter.counts["ERROR"]:
        print(f"carebase build: {counter.counts['ERROR']} error(s); the site was written without the items "
              "they concern", file=sys.stderr)
        return 1
    if progress:
        print(f"carebase build: site written to {config.site_dir} in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    return 0
