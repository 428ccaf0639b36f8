"""``carebase suggestions list|apply``: the report's keyword and synonym suggestions, and
writing the ones a lead accepts into the content as a reviewable, byte-preserving diff."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

NAME = "suggestions"
REPORT, CONTENT = "report/report.json", "content"
HELP = "List the gap report's keyword and synonym suggestions, or write the accepted ones into the content."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("list", "apply"),
                        help="list: number every suggestion; apply: write the chosen ones (a unified diff first)")
    parser.add_argument("--report", default=REPORT, metavar="FILE",
                        help="the report's JSON, written by 'carebase report --out DIR' (default report/report.json)")
    parser.add_argument("--content", default=CONTENT, metavar="DIR",
                        help="the content folder the report was made from (default content)")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--only", action="append", metavar="K1,S2",
                        help="apply: only these suggestions (numbers from 'list'; repeat or comma-separate)")
    chosen.add_argument("--all", action="store_true", help="apply: every suggestion")
    parser.add_argument("--dry-run", action="store_true",
                        help="apply: print the unified diff and change nothing")


def _fail(message: str, code: int) -> int:
    print(f"carebase suggestions: {message}", file=sys.stderr)
    return code


def _load(path: str) -> dict:
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"--report: expected the report's JSON, found no file at {path!r} "
                                "(run 'carebase report --out report' first)")
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: expected the JSON of 'carebase report', found invalid JSON "
                         f"({exc.msg})") from None


def _apply_hint(found, args: argparse.Namespace) -> str:
    """The line to paste to apply suggestions of this report: the numbers it names are ones
    this list holds (its first article edit and its first synonym group), and the report and
    content folder are the ones this list was read from, so it runs as printed."""
    import shlex

    picks = [next((s.key for s in found if s.kind == kind and s.editable), None) for kind in ("keywords", "synonyms")]
    picks = [key for key in picks if key]
    if not picks:
        return ("\nNone of these can be written automatically (only articles' keywords and synonyms.yml are): "
                "add the words by hand.")
    where = []
    if args.report != REPORT:
        where += ["--report", shlex.quote(args.report)]
    if args.content != CONTENT:
        where += ["--content", shlex.quote(args.content)]
    line = " ".join(["carebase suggestions apply", *where, "--only", ",".join(picks)])
    return f"\nApply some with: {line} (add --dry-run to see the diff first), or all with --all."


def _list(found, args: argparse.Namespace) -> None:
    if not found:
        print("No keyword or synonym suggestions in this report.")
        return
    for sug in found:
        if sug.kind == "synonyms":
            print(f"{sug.key:>4}  synonyms.yml: group [{', '.join(sug.words)}]")
            continue
        where = f"{sug.path}:{sug.line}" if sug.path else sug.item_id
        note = "" if sug.editable else "  (edit by hand: only articles are edited automatically)"
        print(f"{sug.key:>4}  {where}: keywords + {', '.join(sug.words)}  [{sug.item_id}; {sug.evidence}]{note}")
    print(_apply_hint(found, args))


def _diff(edits: dict, content: Path) -> str:
    out = []
    for path, (before, after) in sorted(edits.items()):
        name = (content / path).as_posix()
        out.extend(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        f"a/{name}", f"b/{name}"))
    return "".join(out)


def run(args: argparse.Namespace) -> int:
    from carebase.report.suggestions import SuggestionError, plan, select, suggestions

    content = Path(args.content)
    try:
        found = suggestions(_load(args.report))
    except (OSError, ValueError) as exc:
        return _fail(str(exc), 2)
    if args.action == "list":
        _list(found, args)
        return 0
    if not args.all and not args.only:
        return _fail("apply: say which suggestions: --only K1,S2 (numbers from 'carebase suggestions list') "
                     "or --all", 2)
    if not content.is_dir():
        return _fail(f"--content: expected the content folder, found no folder at {args.content!r}", 2)
    try:
        chosen = select(found, None if args.all else args.only)
        edits = plan(chosen, content)
    except (SuggestionError, ValueError, OSError) as exc:
        return _fail(str(exc), 1 if isinstance(exc, OSError) else 2)
    by_hand = [s for s in chosen if not s.editable]
    diff = _diff(edits, content)
    sys.stdout.write(diff)
    for sug in by_hand:
        print(f"{sug.key}: {sug.item_id} ({sug.path}:{sug.line}) keeps its keywords in YAML: add "
              f"{', '.join(sug.words)} by hand", file=sys.stderr)
    if args.dry_run:
        print(f"dry run: {len(edits)} file(s) would change; nothing written", file=sys.stderr)
        return 0
    for path, (_, after) in edits.items():
        (content / path).write_bytes(after.encode("utf-8"))
    print(f"{len(edits)} file(s) changed: review with 'git diff', check with 'carebase check {args.content}'",
          file=sys.stderr)
    return 0
