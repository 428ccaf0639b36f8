"""``llms.txt``, ``llms-full.txt`` and ``catalogue.json``: the help centre for machines.

* ``llms.txt`` (the llms.txt convention): the site's name as the title, its description as
  a quote, a line on what else is here, then one section per category (in the order of
  ``categories.yml``; items without a category last, under "More") listing its articles,
  FAQ questions and videos as ``- [Title](Markdown twin): summary``.
* ``llms-full.txt``: the same order, every twin inlined, up to ``FULL_MAX_BYTES``; past that,
  the file says how many items it left out (each stays at its twin, listed in ``llms.txt``).
* ``catalogue.json``: every published item's stable id, page URL, twin URL, kind, category,
  title, summary, revision and related ids (the ids its page shows under "Related").

Drafts and items with errors are never in any of them (the published catalogue, drafts left
out even in a preview that shows them).

A site in several languages has these files for each language, beside its pages
(``de/llms.txt``, ``de/llms-full.txt``, ``de/catalogue.json``, the twins under ``de/``), in
that language (its site name and description, category titles, items and fixed words:
``machine.*`` of carebase.strings); each llms.txt names the others.
"""

from __future__ import annotations

import json
from typing import Callable, Iterable

from carebase.assist.twins import absolute, twin_path, twins

FULL_MAX_BYTES = 8 * 1024 * 1024  # llms-full.txt's bound (about 2 million tokens)
NOTE_CHARS = 200  # an llms.txt entry's summary is cut to this many characters
CATALOGUE_VERSION = 1


def ordered(catalogue, more: str = "More") -> list[tuple[str, str, list]]:
    """[(category id, title, items)] in the order of categories.yml, then "" (``more``)."""
    titles = {c.id: c.title for c in catalogue.categories}
    order = [c.id for c in sorted(catalogue.categories, key=lambda c: c.order)]
    groups: dict[str, list] = {cid: [] for cid in order}
    for item in published(catalogue):
        groups.setdefault(item.category if item.category in titles else "", []).append(item)
    return [(cid, titles.get(cid, more), items) for cid, items in groups.items() if items]


def _english():
    from carebase.strings import Strings

    return Strings()


def published(catalogue) -> Iterable:
    for item in catalogue.items():
        if not getattr(item, "draft", False):
            yield item


def _note(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1].rstrip() + "…"


def llms_txt(catalogue, site_name: str, description: str = "", site_url: str = "", *, prefix: str = "",
             strings=None, others: tuple[tuple[str, str], ...] = ()) -> str:
    """``prefix``: the language's URL folder ("de/"; the file is ``de/llms.txt``); ``others``:
    (language name, URL folder) of the site's other languages, whose llms.txt it names."""
    strings = strings or _english()
    here = prefix + "llms.txt"

    def link(url: str) -> str:
        return absolute(url, site_url, here if prefix else "")

    out = [f"# {' '.join(site_name.split()) or 'Help centre'}", ""]
    if description:
        out += [f"> {' '.join(description.split())}", ""]
    out += [strings.t("machine.intro", full=link(prefix + "llms-full.txt"), catalogue=link(prefix + "catalogue.json")), ""]
    if others:
        names = ", ".join(f"[{_link_text(name)}]({link(folder + 'llms.txt')})" for name, folder in others)
        out += [strings.t("machine.languages", languages=names), ""]
    for _cid, title, items in ordered(catalogue, strings.t("machine.more")):
        out += [f"## {' '.join(title.split())}", ""]
        for item in items:
            summary = getattr(item, "summary", "") or ""
            note = f": {_note(summary)}" if summary else ""
            out.append(f"- [{_link_text(item.title)}]({link(twin_path(item.url))}){note}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def llms_full_txt(catalogue, site_name: str, description: str = "", site_url: str = "",
                  markdown: dict[str, str] | None = None, max_bytes: int = FULL_MAX_BYTES, *,
                  prefix: str = "", strings=None) -> str:
    strings = strings or _english()
    markdown = markdown if markdown is not None else dict(twins(catalogue, site_url, strings=strings))
    head = [f"# {' '.join(site_name.split()) or 'Help centre'}", ""]
    if description:
        head += [f"> {' '.join(description.split())}", ""]
    parts = ["\n".join(head)]
    size = len(parts[0].encode())
    left_out = 0
    for _cid, _title, items in ordered(catalogue, ""):
        for item in items:
            text = markdown.get(twin_path(item.url))
            if text is None:
                continue
            piece = "\n---\n\n" + _demote(text)
            cost = len(piece.encode())
            if size + cost > max_bytes:
                left_out += 1
                continue
            parts.append(piece)
            size += cost
    if left_out:
        llms = absolute(prefix + "llms.txt", site_url, prefix + "llms-full.txt" if prefix else "")
        parts.append("\n---\n\n" + strings.t("machine.left_out", count=left_out, mb=max_bytes // (1024 * 1024),
                                                 llms=llms) + "\n")
    return "".join(parts)


def catalogue_json(catalogue, related: Callable[[object], list[str]], site_url: str = "", *, prefix: str = "") -> str:
    here = prefix + "catalogue.json" if prefix else ""
    items = []
    for item in published(catalogue):
        items.append({
            "id": item.id, "kind": item.kind, "title": item.title, "url": absolute(item.url, site_url, here),
            "markdown": absolute(twin_path(item.url), site_url, here), "category": item.category,
            "summary": getattr(item, "summary", "") or "", "revision": item.revision,
            "related": related(item),
        })
    return json.dumps({"version": CATALOGUE_VERSION, "items": items}, ensure_ascii=False, indent=0)


def machine_files(catalogue, *, site_name: str, description: str = "", site_url: str = "",
                  related: Callable[[object], list[str]] = lambda item: list(item.related), prefix: str = "",
                  source=None, strings=None, others: tuple[tuple[str, str], ...] = ()) -> Iterable[tuple[str, str]]:
    """(path from the site root, text) of every file above and every Markdown twin, for the
    language whose URL folder is ``prefix`` ("" the default; "de/"), with ``source`` the
    default language's catalogue when it is another, ``strings`` its fixed words, ``others``
    the other languages (name, URL folder) llms.txt names."""
    markdown = dict(twins(catalogue, site_url, source=source, strings=strings))
    yield from markdown.items()
    yield prefix + "llms.txt", llms_txt(catalogue, site_name, description, site_url, prefix=prefix, strings=strings,
                                        others=others)
    yield prefix + "llms-full.txt", llms_full_txt(catalogue, site_name, description, site_url, markdown,
                                                  prefix=prefix, strings=strings)
    yield prefix + "catalogue.json", catalogue_json(catalogue, related, site_url, prefix=prefix)


def _demote(markdown: str) -> str:
    """A twin inside llms-full.txt: its headings one level down, under the file's title."""
    from carebase.content.fences import unfenced_lines

    lines = markdown.split("\n")
    for n, line in unfenced_lines(markdown):
        if line is not None and line.startswith("#") and line.lstrip("#").startswith(" ") and len(line) - len(line.lstrip("#")) < 6:
            lines[n] = "#" + line
    return "\n".join(lines)


def _link_text(title: str) -> str:
    return " ".join(title.replace("[", "(").replace("]", ")").split())
