"""The plugin's options that carebase reads itself (``feedback``, ``languages``, ``limits``,
``region``; MkDocs checks the types of the others) and the theme its pages need (``theme.name``): every problem is named at its line in
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
    problems += theme_problems(config.theme)
    return SiteOptions(feedback, settings, languages, limits, tuple(region)), problems


def theme_problems(theme) -> list[Problem]:
    """The plugin's pages (the home page, categories, FAQ and video pages, the widget in every
    page, the header's search) are the ``carebase`` theme's templates: on another theme the
    build ended in a Jinja "TemplateNotFound: 'home.html'" traceback while the check passed
    (reader 47, R17). The carebase theme extends Material for MkDocs, so a Material site keeps
    its palette, features, ``custom_dir`` and Material's other options under it: the fix is
    one word. A theme of its own that extends carebase's passes."""
    from importlib.util import find_spec

    ours = os.path.realpath(os.path.dirname(find_spec("carebase.theme").origin))
    if any(os.path.realpath(folder) == ours for folder in theme.dirs):
        return []
    name = theme.name
    found = f"{name!r}" if name else "no theme name (only custom_dir)"
    if name == "mkdocs":
        found += " (MkDocs' own theme, also when mkdocs.yml names none)"
    return [error("mkdocs.yml", 0, "theme.name",
                  "expected carebase, the theme the carebase plugin's pages are made with (it extends Material "
                  "for MkDocs: palette, features, custom_dir and Material's other theme options stay as they "
                  f"are), found {found}: write 'name: carebase' under 'theme:' (or 'theme: carebase')")]


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
    for p in problems:  # an option not written (the theme): at the plugin's entry, which needs it
        place = None if p.line else (place_of(places, p.field) or place_of(places, PREFIX.rstrip(".")))
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
