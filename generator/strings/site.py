"""The site's own texts — what a writer configures in mkdocs.yml (the site's name,
description and copyright, the contact hours, the footer's text and link titles) — in every language.

One way for every such text: mkdocs.yml holds the default language's; another language's
is a ``site.*`` key of that language's strings file in the content folder
(``strings.de.yml``), beside any of carebase's own strings the site overrides::

    site.name: Lumo Hilfe-Center
    site.description: Antworten, Anleitungen und Videos zum Lumo-Thermostat.
    site.contact.hours: Montag bis Freitag, 8:00–20:00 Uhr (britische Zeit)
    site.footer.text: © 2026 Lumo Energy Ltd.
    site.footer.links: [Kontakt, Datenschutz, Alle Videos]   # in mkdocs.yml's order

The texts a site sets elsewhere in mkdocs.yml in the default language (``home.title``,
``feedback.question``, ``feedback.reasons``) already have keys of carebase's catalogue
(``home.title``, ``widget.question.<style>``, ``widget.reasons``): the same file holds them.
A text left untranslated shows as mkdocs.yml writes it; ``carebase check`` and the build
warn, naming the file (the site's name alone is not warned about: brand names often stay).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteText:
    setting: str  # where mkdocs.yml sets the default language's
    kind: type  # str, or tuple (a list of texts, one per mkdocs.yml entry)
    warn: bool = True  # warn when another language lacks it


SITE_TEXTS = {
    "site.name": SiteText("site_name", str, warn=False),
    "site.description": SiteText("site_description", str),
    "site.copyright": SiteText("copyright", str),
    "site.contact.hours": SiteText("plugins.carebase.contact.hours", str),
    "site.footer.text": SiteText("plugins.carebase.footer.text", str),
    "site.footer.links": SiteText("plugins.carebase.footer.links (their titles)", tuple),
}


def site_texts(*, name: str = "", description: str = "", copyright: str = "", hours: str = "",
               footer_text: str = "", footer_links=()) -> dict:
    """The default language's site texts (``site.*`` key → value), the ones set only."""
    titles = tuple(str(link) for link in footer_links)
    found = {"site.name": name, "site.description": description, "site.copyright": copyright, "site.contact.hours": hours,
             "site.footer.text": footer_text, "site.footer.links": titles}
    return {key: value for key, value in found.items() if value}


def site_texts_from_config(path) -> dict:
    """The site texts of a mkdocs.yml read as plain YAML (for ``carebase check``); {} without one."""
    from carebase.content.limits import plugin_settings

    settings, config, _ = plugin_settings(path)

    def text(mapping, key) -> str:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        return value if isinstance(value, str) else ""

    contact = settings.get("contact")
    feedback = settings.get("feedback")
    footer = settings.get("footer")
    links = footer.get("links") if isinstance(footer, dict) else None
    return site_texts(
        name=text(config, "site_name"), description=text(config, "site_description"),
        copyright=text(config, "copyright"),
        hours=text(contact, "hours") or text(feedback.get("contact") if isinstance(feedback, dict) else None, "hours"),
        footer_text=text(footer, "text"),
        footer_links=[text(link, "title") for link in links if isinstance(link, dict)] if isinstance(links, list) else (),
    )
