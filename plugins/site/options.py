"""The plugin's options that carebase reads itself (``feedback``, ``languages``, ``limits``,
``region``; MkDocs checks the types of the others): every problem is named at its line in
mkdocs.yml and its option path, all of them are logged, and then, when any is an error, the
build stops once, as MkDocs' own config validation does (each error, then one "Aborted")::

    ERROR   -  carebase: mkdocs.yml:14: plugins.carebase.feedback.style: expected one of helpful, csat, ces, found 'stars'
    ERROR   -  carebase: mkdocs.yml:19: plugins.carebase.feedback.reasons[1]: expected a non-empty text, found ''
    carebase build: mkdocs.yml: 2 errors in the carebase plugin's options (above): fix them and build again

Before, a ``feedback.*`` error was logged without a line and the build went on with the
widget's defaults (a site with ``style: stars`` published Yes/No widgets).

``read_options`` is the one reading of them: the plugin's ``on_config`` stops on its problems,
and ``carebase check`` (carebase.cli._check_config) reports the same problems at the same
lines, so the CI gate fails where the build would stop."""

from __future__ import annotations

import dataclasses
import os
from typing import Callable

from mkdocs.exceptions import ConfigurationError

from carebase.content.option_lines import PREFIX, config_places, place_of
from carebase.content.problems import Problem, error, warning
from carebase.plugins.site.adapters import feedback_renderer, log, shown


class OptionsError(ConfigurationError):
    """Errors in the carebase plugin's options (each logged above, with its line)."""


@dataclasses.dataclass(frozen=True)
class SiteOptions:
    """What the plugin keeps of the options it reads itself."""

    feedback: Callable  # feedback(item_id, revision, title, …) -> the widget's HTML
    settings: object  # carebase.widget.settings.FeedbackSettings
    languages: object  # carebase.content.languages.Languages
    limits: dict
    region: tuple[str, ...]


def read_options(options, config) -> tuple[SiteOptions, list[Problem]]:
    """The options carebase reads itself (``options``: the plugin's validated config; ``config``:
    MkDocs'), and every problem with them, not yet placed at a line (``placed``)."""
    from carebase.content.languages import read_languages
    from carebase.content.limits import read_limits
    from carebase.service.masking_region import read_region

    feedback, settings, problems = feedback_renderer(options.feedback, options.service_url, dict(options.contact))
    languages, complaints = read_languages(options.languages, config.theme.get("language") or "en")
    problems += complaint_problems(complaints, is_error=False)
    limits, complaints = read_limits(options.limits)
    problems += complaint_problems(complaints, is_error=False)
    region, complaints = read_region(options.region)
    problems += complaint_problems(complaints, is_error=True)
    return SiteOptions(feedback, settings, languages, limits, tuple(region)), problems


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
    """The problems at their file and line: mkdocs.yml's, or the ``INHERIT`` parent's where the
    option is written there (each file named as the command line names it)."""
    places = config_places(config_file)
    out = []
    for p in problems:
        place = None if p.line else place_of(places, p.field)
        file = place.file if place else config_file
        out.append(dataclasses.replace(p, path=shown(file) if file else "mkdocs.yml",
                                       line=p.line or (place.line if place else 0)))
    return out


def stop_on_errors(problems, config_file: str | None) -> None:
    """Log every problem (errors as errors, warnings as warnings: fatal under --strict) at its
    line, then raise one ``OptionsError`` when any is an error."""
    from carebase.content.formats import printable

    problems = sorted(placed(problems, config_file), key=lambda p: (p.path != shown(config_file or "mkdocs.yml"),
                                                                    p.path, p.line, p.field))
    for problem in problems:  # the record carries the problem: carebase serve shows it in the page
        extra = {"carebase_problem": problem, "carebase_shown": problem.path,
                 "carebase_file": os.path.abspath(problem.path) if config_file else ""}
        (log.error if problem.is_error else log.warning)(printable(f"carebase: {problem}"), extra=extra)
    errors = sum(p.is_error for p in problems)
    if errors:
        raise OptionsError(f"{errors} error{'s' if errors > 1 else ''} in the carebase plugin's options (above): "
                           "fix them and build again")
