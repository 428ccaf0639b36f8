"""Glue between the plugin and the core: content problems → MkDocs log, feedback widget,
related-items engines."""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

from carebase.content.problems import Problem

log = logging.getLogger("mkdocs.plugins.carebase")


def shown(path: str | Path) -> str:
    """A file as the command line names it (carebase.content.formats.shown_path)."""
    from carebase.content.formats import shown_path

    return shown_path(path)


def report(problems, prefix: str = "", root: str | Path | None = None) -> None:
    """Log content problems: errors as errors, warnings as warnings (fatal under --strict).
    ``root``: the folder the problems' paths are relative to (the content folder): each is then
    named as the command line names files (``shown``: ``content/faq/billing.yml:14``), and the
    record carries the problem and its file (``carebase serve`` shows them in the page)."""
    from carebase.content.formats import printable, shown_message

    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.field)):
        extra = None
        if root is not None and isinstance(problem, Problem):
            file = Path(root) / problem.path if problem.path else Path(root)
            where = shown(file)
            text = printable(f"{prefix}{where}:{problem.line}" if problem.line else f"{prefix}{where}")
            message = shown_message(str(root), problem.message)
            text += printable(f": {problem.field}: {message}" if problem.field else f": {message}")
            extra = {"carebase_problem": problem, "carebase_file": str(file), "carebase_shown": where,
                     "carebase_message": message}
        else:
            text = printable(f"{prefix}{problem}")
        if isinstance(problem, Problem) and not problem.is_error:
            log.warning(text, extra=extra)
        else:
            log.error(text, extra=extra)


def feedback_renderer(raw: dict, service_url: str, contact: dict):
    """A ``feedback(item_id, revision, title, heading)`` function from the widget settings, the
    settings, and their problems (fields named as written: a ``service_url`` or ``contact`` the
    widget takes from the plugin's own options is named there, ``plugins.carebase.service_url``)."""
    from carebase.widget.markup import feedback_form
    from carebase.widget.settings import check_feedback_settings

    raw = dict(raw or {}) if isinstance(raw, dict) or raw is None else raw
    taken = []
    if isinstance(raw, dict):
        if "service_url" not in raw:
            raw["service_url"] = service_url
            taken.append("service_url")
        channels = {k: v for k, v in contact.items() if v and k in ("email", "phone", "chat_url", "hours")}
        if channels and "contact" not in raw:
            raw["contact"] = channels
            taken.append("contact")
    settings, problems = check_feedback_settings(raw)
    own = "plugins.carebase.feedback."
    problems = [dataclasses.replace(p, field="plugins.carebase." + p.field[len(own):])
                if any(p.field == own + key or p.field.startswith(own + key + ".") for key in taken) else p
                for p in problems]

    def render(item_id: str, revision: str, title: str, heading: str | None = None, return_to: str = "",
               strings=None) -> str:
        return feedback_form(item_id, revision, title, settings, heading=heading, return_to=return_to, strings=strings)

    return render, settings, problems


def related_engine(kind: str, catalogue, output, category_of):
    """``related(item_id, limit)`` from the build output's search index ("search"), shared
    terms ("terms"), or None ("off"). The index is waited for on the first call only (items
    with explicit ``related`` never need it)."""
    if kind == "off":
        return None
    if kind == "search":
        state: dict = {}

        def related(item_id: str, limit: int) -> list[str]:
            if "searcher" not in state:
                state["searcher"] = output.wait().searcher(semantic=False)
            return state["searcher"].related(item_id, limit)

        return related
    from carebase.pages.related import RelatedIndex

    return RelatedIndex(catalogue, category_of).related


_ICON_NAME = re.compile(r"[a-z0-9-]+(?:/[a-z0-9-]+)+")


def icon_finder(theme_dirs):
    """``icon(name) -> SVG markup`` ("" when unknown) from the theme's ``.icons`` folders
    (Material's icon sets: ``material/credit-card``, ``fontawesome/solid/gear``, …)."""
    cache: dict[str, str] = {}

    def icon(name: str) -> str:
        if name not in cache:
            cache[name] = ""
            if _ICON_NAME.fullmatch(name or ""):
                for folder in theme_dirs:
                    path = Path(folder) / ".icons" / f"{name}.svg"
                    if path.is_file():
                        cache[name] = path.read_text(encoding="utf-8").strip()
                        break
        return cache[name]

    return icon


#: the pages' palette without script, a style sheet of the site (``nojs_palette``)
NOJS_PALETTE = "assets/carebase/palette-nojs.css"


def nojs_palette(config) -> str:
    """The style sheet every page links in a ``<noscript>`` (theme main.html; ``NOJS_PALETTE``,
    not fetched with JavaScript): without script Material's
    body keeps the first palette option, so the other options' rules of the pages' style sheets
    (Material's and carebase's from the theme's folders, the site's ``extra_css``) are written
    for it under their ``media`` (carebase.pages.scheme_css.static_page_css): a page opened
    without JavaScript is dark under a dark system setting, as with it. "" for one palette."""
    from carebase.pages.scheme_css import static_page_css

    palette = config.theme.get("palette")
    if not isinstance(palette, list) or len(palette) < 2:
        return ""
    options = []
    for i, option in enumerate(palette):
        if not isinstance(option, dict):
            continue
        media = str(option.get("media") or "").strip()
        if i and (not media or media.replace(" ", "") == "(prefers-color-scheme)"):
            continue
        options.append({"media": media, **{attr: str(option.get(attr) or default).replace(" ", "-")
                                          for attr, default in (("scheme", "default"), ("primary", "indigo"),
                                                                ("accent", "indigo"))}})
    seen, sheets = set(), []
    for folder in ("assets/stylesheets", "assets/carebase"):
        for theme_dir in config.theme.dirs:  # the first folder's file wins, as MkDocs copies them
            for path in sorted((Path(theme_dir) / folder).glob("*.css")):
                rel = f"{folder}/{path.name}"
                if rel not in seen:
                    seen.add(rel)
                    sheets.append(path)
    for extra in config.extra_css or ():
        path = Path(config.docs_dir) / str(extra)
        if "://" not in str(extra) and path.is_file():
            sheets.append(path)
    texts = []
    for path in sheets:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return static_page_css(texts, options)
