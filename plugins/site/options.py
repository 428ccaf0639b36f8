"""The plugin's options that carebase reads itself (``feedback``, ``languages``, ``limits``,
``region``; MkDocs checks the types of the others): every problem is named at its line in
mkdocs.yml and its option path, all of them are logged, and then, when any is an error, the
build stops once, as MkDocs' own config validation does (each error, then one "Aborted")::

    ERROR   -  carebase: mkdocs.yml:14: plugins.carebase.feedback.style: expected one of helpful, csat, ces, found 'stars'
    ERROR   -  carebase: mkdocs.yml:19: plugins.carebase.feedback.reasons[1]: expected a non-empty text, found ''
    carebase build: mkdocs.yml: 2 errors in the carebase plugin's options (above): fix them and build again

Before, a ``feedback.*`` error was logged without a line and the build went on with the
widget's defaults (a site with ``style: stars`` published Yes/No widgets)."""

from __future__ import annotations

import dataclasses

from mkdocs.exceptions import ConfigurationError

from carebase.content.option_lines import PREFIX, line_of, option_lines
from carebase.content.problems import Problem, error, warning
from carebase.plugins.site.adapters import log, shown


class OptionsError(ConfigurationError):
    """Errors in the carebase plugin's options (each logged above, with its line)."""


def complaint_problems(complaints, *, is_error: bool) -> list[Problem]:
    """``"languages[1]: expected …"`` complaints (carebase.content.languages, .limits,
    carebase.service.masking_region) as problems at ``plugins.carebase.<field>``."""
    made = error if is_error else warning
    out = []
    for complaint in complaints:
        field, _, message = complaint.partition(": ")
        out.append(made("mkdocs.yml", 0, PREFIX + field, message))
    return out


def placed(problems, config_file: str | None) -> list[Problem]:
    """The problems at mkdocs.yml's lines (the file named as the command line names it)."""
    lines = option_lines(config_file)
    where = shown(config_file) if config_file else "mkdocs.yml"
    return [dataclasses.replace(p, path=where, line=p.line or line_of(lines, p.field)) for p in problems]


def stop_on_errors(problems, config_file: str | None) -> None:
    """Log every problem (errors as errors, warnings as warnings: fatal under --strict) at its
    line, then raise one ``OptionsError`` when any is an error."""
    from carebase.content.formats import printable

    import os

    problems = sorted(placed(problems, config_file), key=lambda p: (p.line, p.field))
    for problem in problems:  # the record carries the problem: carebase serve shows it in the page
        extra = {"carebase_problem": problem, "carebase_shown": problem.path,
                 "carebase_file": os.path.abspath(config_file) if config_file else ""}
        (log.error if problem.is_error else log.warning)(printable(f"carebase: {problem}"), extra=extra)
    errors = sum(p.is_error for p in problems)
    if errors:
        raise OptionsError(f"{errors} error{'s' if errors > 1 else ''} in the carebase plugin's options (above): "
                           "fix them and build again")
