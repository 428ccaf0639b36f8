"""Whether a page needs Material's JavaScript bundle, or carebase's own ``chrome.js`` does
what the page uses of it.

Material's bundle (~35 KB gzip) is one task of ~60 ms on a fast machine, which Lighthouse's
simulated phone counts four times as blocking time. On a help centre's pages it does little:
the palette toggle (carebase's header script does it), the header's shadow and title, the
back-to-top button, tables in a scrolling box, details opened for a link or for printing,
the drawer closed on a link in the page, Enter on a label (chrome.js does these). What only
the bundle does, and what makes a page load it: code blocks (copy button, annotations, focus
of a block that scrolls), content tabs, Mermaid diagrams, link previews — found in the
page's HTML — and the site-wide features, integrations and scripts carebase does not
replace (below). ``material_bundle: always`` in the carebase plugin's options loads it on
every page (REFERENCE.md "Material's JavaScript").
"""

from __future__ import annotations

import re

#: theme features carebase's pages either do without JavaScript (navigation.prune, .indexes,
#: .expand, .path, .footer, content.action.*) or chrome.js does (navigation.top); the code and
#: content-tab features only matter on a page that has code or tabs, which loads the bundle
HANDLED_FEATURES = frozenset({
    "navigation.top", "navigation.prune", "navigation.indexes", "navigation.expand", "navigation.path",
    "navigation.footer", "content.action.edit", "content.action.view",
    "content.code.copy", "content.code.annotate", "content.code.select", "content.tabs.link",
})

#: in a page's HTML: what Material's content component mounts and chrome.js does not
_CONTENT = re.compile(r'<pre[\s>]|\sclass="[^"]*\b(?:tabbed-set|annotate|mermaid)\b|\sdata-(?:tabs|preview)[\s=>]'
                      r'|\sdata-md-component="(?:announce|consent|source|version)"')


def site_needs_bundle(config, option: str) -> str:
    """Why every page of the site loads Material's bundle ("" when no reason): ``option`` is the
    plugin's ``material_bundle`` ("auto" or "always"), ``config`` MkDocs' (a mapping)."""
    if option == "always":
        return "material_bundle: always"
    if config.get("extra_javascript"):
        return "extra_javascript"  # a site's own scripts may use document$ and the like
    plugins = config.get("plugins") or {}
    if "material/search" in plugins:
        return "Material's search"
    theme = config.get("theme")
    features = list((theme.get("features") if theme is not None else None) or [])
    other = sorted(f for f in features if f not in HANDLED_FEATURES)
    if other:
        return "features: " + ", ".join(other)
    if config.get("repo_url"):
        return "repo_url (the repository's facts)"
    extra = config.get("extra") or {}
    for key in ("consent", "version", "analytics"):
        if extra.get(key):
            return f"extra.{key}"
    return ""


def page_needs_bundle(html: str) -> str:
    """Why a page whose content is ``html`` loads Material's bundle ("" when no reason)."""
    found = _CONTENT.search(html or "")
    return "the page has " + found.group(0).strip('<>" =\t\n') if found else ""
