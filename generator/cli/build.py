"""``carebase build``: build the help centre with MkDocs (theme and plugin from mkdocs.yml)."""

from __future__ import annotations

import argparse
import os
import sys
import time

from carebase.cli._mkdocs import config_file_of, setup_logging, site_folder_on_path, wants_progress

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
    saved = os.environ.get("CAREBASE_PROGRESS")
    if args.quiet:  # the build's long steps (embedding for meaning) say nothing either
        os.environ["CAREBASE_PROGRESS"] = "0"
    try:
        with site_folder_on_path(config_file):  # the writer's own extensions (my_ext.py) load
            config = load_config(config_file=str(config_file), **overrides)
            build(config, dirty=args.dirty)
    except exceptions.Abort as exc:
        print(f"carebase build: {exc}", file=sys.stderr)
        return 1
    except SyntaxError as exc:  # a hooks: file that does not compile (MkDocs imports it): no traceback
        from carebase.cli._check_config import syntax_said

        print(f"carebase build: {config_file}: {syntax_said(exc)}", file=sys.stderr)
        return 1
    except exceptions.ConfigurationError as exc:
        from carebase.cli._check_config import yaml_error_line

        print(f"carebase build: {yaml_error_line(exc, str(config_file)) or f'{config_file}: {exc}'}", file=sys.stderr)
        return 1
    finally:
        if args.quiet and saved is None:
            del os.environ["CAREBASE_PROGRESS"]
        elif args.quiet:
            os.environ["CAREBASE_PROGRESS"] = saved
    if counter.counts["ERROR"]:
        print(f"carebase build: {counter.counts['ERROR']} error(s); the site was written without the items "
              "they concern", file=sys.stderr)
        return 1
    if progress:
        from carebase.content.formats import shown_path

        print(f"carebase build: site written to {shown_path(config.site_dir)}/ in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
