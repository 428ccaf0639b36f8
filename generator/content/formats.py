"""Problems rendered for people (text), programs (JSON) and GitHub Actions (annotations)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter

from carebase.content.model import Catalogue
from carebase.content.problems import Problem

RED, YELLOW, GREEN, BOLD, DIM, RESET = "\033[31m", "\033[33m", "\033[32m", "\033[1m", "\033[2m", "\033[0m"


def shown_path(path) -> str:
    """A file or folder as every carebase command names it: relative to the folder the command
    was run in (``content/billing/refunds.md``, ``../help/content/a.md`` when given so), an
    absolute path inside that folder made relative to it, any other absolute path whole."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        return os.path.normpath(text).replace(os.sep, "/")
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive (Windows)
        return text.replace(os.sep, "/")
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return os.path.normpath(text).replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def display_path(root: str, problem: Problem) -> str:
    """The problem's file as the command line names files (``content/billing/a.md``)."""
    if not problem.path:
        return shown_path(root)
    return shown_path(os.path.join(root, problem.path))


# a reference to another content file inside a message: "… leaves it out (faq/billing.yml:4)",
# "… already the id of billing/refunds.md:2"
_REFERENCE = re.compile(r"(?:(?<=\()|(?<=\bof ))([^\s()':]+\.(?:md|ya?ml|vtt|srt))(?=:\d+|\))")


def shown_message(root: str, message: str) -> str:
    """``message`` with the content files it names (``(faq/billing.yml:4)``, paths from the
    content folder) named as the command line names files, as the problem's own file is."""
    return _REFERENCE.sub(lambda m: shown_path(os.path.join(root, m.group(1))), message)


def ordered(problems) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.field, p.message))


def summary(catalogue: Catalogue) -> str:
    errors, warnings = len(catalogue.errors), len(catalogue.warnings)
    files = len({p.path for p in catalogue.problems})
    parts = [_plural(errors, "error"), _plural(warnings, "warning")]
    return f"{parts[0]}, {parts[1]} in {_plural(files, 'file')}"


def counts(catalogue: Catalogue) -> dict:
    return {"articles": len(catalogue.articles), "faq_groups": len(catalogue.faqs),
            "faq_questions": sum(len(g.questions) for g in catalogue.faqs), "videos": len(catalogue.videos),
            "categories": len(catalogue.categories), "synonym_groups": len(catalogue.synonyms)}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """A line for a terminal: control characters (a file name holding an escape sequence, say)
    shown as ``\\x1b``, never sent to the terminal; a line end in a name cannot split a problem."""
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1], text).replace("\n", "\\n")


def text(catalogue: Catalogue, root: str, *, colour: bool, strict: bool, checked: list[str] | None = None,
         command: list[str] | None = None, config_errors: str = "") -> str:
    """``checked``: the files checked, when not the whole folder (named in the closing lines);
    ``command``: the check that was run, as words (``carebase check -f site/mkdocs.yml content``),
    given back in the closing hint; ``config_errors``: the mkdocs.yml with errors, on which the
    build stops whole (no site), "" when it has none."""
    lines = []
    for p in ordered(catalogue.problems):
        where = printable(f"{display_path(root, p)}:{p.line}" if p.line else display_path(root, p))
        field = f" {printable(p.field)}:" if p.field else ""
        label = "[error]" if p.is_error else "[warning]"
        if colour:
            tint = RED if p.is_error else YELLOW
            lines.append(f"{BOLD}{where}:{RESET}{field} {printable(shown_message(root, p.message))} {tint}{label}{RESET}")
        else:
            lines.append(f"{where}:{field} {printable(shown_message(root, p.message))} {label}")
    c = counts(catalogue)
    loaded = (f"{_plural(c['articles'], 'article')}, {_plural(c['faq_questions'], 'FAQ question')} in "
              f"{_plural(c['faq_groups'], 'group')}, {_plural(c['videos'], 'video')}")
    if catalogue.problems:
        lines.append("")
        lines.append(f"{summary(catalogue)} ({loaded} loaded)")
    else:
        ok = f"No problems in {_named(root, checked)} ({loaded})."
        lines.append(f"{GREEN}{ok}{RESET}" if colour else ok)
    again = command or ["carebase", "check", *(["--strict"] if strict else []), *(checked or [root])]
    lines.append(_hint(catalogue, again, strict, config_errors))
    return "\n".join(line for line in lines if line is not None).rstrip("\n")


def _named(root: str, checked: list[str] | None) -> str:
    return ", ".join(checked) if checked else root


def _hint(catalogue: Catalogue, command: list[str], strict: bool, config_errors: str = "") -> str | None:
    """What to do next; the check to run again is the one that was run (``--strict``, ``-f``,
    ``--missing`` kept: without them it would be another check), at the end of the line as a
    shell reads it, so it copies whole (reader 46, R7: it was quoted inside quotes)."""
    import shlex

    if catalogue.errors:
        stops = f"The build stops on {config_errors}'s errors (no site is written); items" if config_errors \
            else "Items"  # reader 47, R2: it said only that items are left out, and the build wrote nothing
        return (f"{stops} with errors are left out of the site. Fix each error at the file and line shown, "
                f"then run the check again: {shlex.join(command)}")
    if catalogue.warnings:
        if strict:
            return "Warnings fail the check with --strict: fix them, or run without --strict."
        return "Warnings do not fail the check (add --strict to make them fail, e.g. in CI)."
    return None


def as_json(catalogue: Catalogue, root: str, *, checked: list[str] | None = None) -> str:
    problems = [{
        "file": display_path(root, p), "path": p.path, "line": p.line, "column": p.column, "field": p.field,
        "message": p.message, "severity": p.severity.value, "text": str(p),
    } for p in ordered(catalogue.problems)]
    by_severity = Counter(p.severity.value for p in catalogue.problems)
    return json.dumps({
        "root": root, "errors": by_severity.get("error", 0), "warnings": by_severity.get("warning", 0),
        "files": len({p.path for p in catalogue.problems}), "items": counts(catalogue), "problems": problems,
        **({"checked": checked} if checked else {}),
    }, indent=2, ensure_ascii=False)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _workspace_path(path: str) -> str:
    """Annotations need paths relative to the repository (the working directory in CI)."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            return relative.replace(os.sep, "/")
    return path


def github(catalogue: Catalogue, root: str, *, checked: list[str] | None = None) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per problem."""
    lines = []
    for p in ordered(catalogue.problems):
        props = [f"file={_escape_property(_workspace_path(display_path(root, p)))}"]
        if p.line:
            props.append(f"line={p.line}")
        if p.column:
            props.append(f"col={p.column}")
        props.append(f"title={_escape_property('carebase check: ' + (p.field or 'file'))}")
        command = "error" if p.is_error else "warning"
        message = f"{p.field}: {shown_message(root, p.message)}" if p.field else shown_message(root, p.message)
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message)}")
    lines.append(summary(catalogue) if catalogue.problems else f"No problems in {_named(root, checked)}.")
    return "\n".join(lines)
