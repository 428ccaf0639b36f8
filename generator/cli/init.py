"""``carebase init DIR``: start your own help centre in a new folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "init"
HELP = "Start a new help centre in DIR (mkdocs.yml and a small valid content folder)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="the new folder (created; must be empty when it exists)")
    parser.add_argument("--site-name", metavar="NAME",
                        help="the help centre's title (default: from the folder name, 'Mysite Help Centre')")


def run(args: argparse.Namespace) -> int:
    from carebase.starter import NotEmpty, write_starter

    target = Path(args.dir)
    name = args.site_name or _site_name(target)
    try:
        written = write_starter(target, name)
    except NotEmpty as exc:
        print(f"carebase init: {exc}; nothing was written. Choose a new folder name "
              f"(carebase init NEWDIR) or empty {target} first.", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"carebase init: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    shown = args.dir if " " not in args.dir else f'"{args.dir}"'
    print(f"Created {len(written)} files in {target.as_posix()}/ for '{name}'. Next:\n"
          f"  cd {shown}\n"
          f"  carebase serve            # preview on http://127.0.0.1:8000, edits show at once\n"
          f"  carebase check --strict   # every content problem with file and line\n"
          f"  carebase build --strict   # the site in site/, ready for any static host")
    return 0


def _site_name(target: Path) -> str:
    words = target.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) + " Help Centre" if words else "Help Centre"
