"""The ``carebase`` plugin's options in mkdocs.yml (unknown options fail ``--strict``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class ContactConfig(base.Config):
    email = c.Type(str, default="")
    phone = c.Type(str, default="")
    chat_url = c.Type(str, default="")
    hours = c.Type(str, default="")
    form = c.Type(bool, default=False)  # the contact form page (contact/), posting to the service


class LinkConfig(base.Config):
    title = c.Type(str)
    url = c.Type(str)


class FooterConfig(base.Config):
    text = c.Type(str, default="")  # a line of text (plain), e.g. "© 2026 Lumo Ltd"
    links = c.ListOfItems(c.SubConfig(LinkConfig), default=[])
    credit = c.Type(bool, default=False)  # "Made with carebase"


class HomeConfig(base.Config):
    # the default language's; "" (or another language): carebase.strings home.title / home.subtitle
    title = c.Type(str, default="")
    subtitle = c.Type(str, default="")
    popular = c.Type(int, default=6)
    faq = c.Type(int, default=6)
    videos = c.Type(int, default=3)


class CarebaseConfig(base.Config):
    content_dir = c.Optional(c.Type(str))  # default: docs_dir
    # the build output (carebase.output); default: beside site_dir (site/ → site-data/);
    # `serve` always writes a preview one in the temporary folder
    site_data = c.Optional(c.Type(str))
    contact = c.SubConfig(ContactConfig)
    feedback = c.Type(dict, default={})  # widget settings: style, question, reasons, comment
    service_url = c.Type(str, default="http://127.0.0.1:8001")
    featured = c.ListOfItems(c.Type(str), default=[])
    # the Ask box on the home and search pages (the service's answer API, cited; hidden when
    # the service does not answer)
    ask = c.Type(bool, default=True)
    home = c.SubConfig(HomeConfig)
    page_size = c.Type(int, default=50)  # entries per category / gallery / FAQ index page
    # auto: the Whoosh index ("search") up to `related_index_max` items, shared terms above
    # (Whoosh's more-like-this costs ~150 ms per item at a few hundred items, growing with N)
    related = c.Choice(("auto", "search", "terms", "off"), default="auto")
    related_index_max = c.Type(int, default=100)
    related_limit = c.Type(int, default=5)
    nav = c.Choice(("categories", "mkdocs"), default="categories")
    drafts = c.Type(bool, default=False)
    footer = c.SubConfig(FooterConfig)
    # file size limits per kind: {article|faq|video|transcript: {warning: 1 MB, error: 10 MB}}
    limits = c.Type(dict, default={})
    # the languages the site publishes, the default (the sources' language) first: [en, de];
    # empty: one language, the theme's (carebase.content.languages)
    languages = c.Type((list, str), default=[])
    # Material's JavaScript bundle: "auto" loads it only on pages that need it (code blocks,
    # content tabs, diagrams; site-wide: extra_javascript, Material's search, features carebase
    # does not replace, plugins/site/material.py) and carebase's chrome.js elsewhere;
    # "always" on every page, as Material does
    material_bundle = c.Choice(("auto", "always"), default="auto")
    # the help centre's countries (ISO 3166-1 alpha-2: [GB, IE]): the service masks their national
    # phone numbers without a cue (carebase.service.masking_region); published in the build output
    region = c.Type((list, str), default=[])
