"""Where the build output lives and what its files are called.

::

    site-data/                 the build output folder (default: beside the site folder)
      stamp.json               the version stamp; names the current revision folder
      search-page.json         the site's search page as the service's template for searches
                               without JavaScript (carebase.pages.search_template), each build
      r-<revision>/            one folder per content revision
        manifest.json          published item ids, urls, revisions, aliases (also copied to site/)
        catalogue.json         the catalogue snapshot (every item, category, synonym, problem)
        search/                the Whoosh index + the fast engine's impact arrays (+ vectors)
        site-search/           the site search's client index (the site copies it to search/carebase/),
                               written with search/ from the same analysis of each record
        languages/<code>/      each other language the site publishes (de, fr…), the same item ids:
          catalogue.json       its catalogue snapshot (the translations)
          search/              its own search index, analysed in that language (+ vectors)
          site-search/         its site search's client index

``stamp.json`` is written last and atomically (under ``.lock``), so a reader sees either the
previous revision or the new one, whole. The previous revision folder is kept one revision
longer, for readers still using it. The stamp's ``languages`` lists the languages of the
output, the default (the sources' language, the top-level files) first: one build, one stamp,
every language.
"""

from __future__ import annotations

from pathlib import Path

#: The layout of the build output (the folders and files above); each part's own format is
#: declared beside its writer (``formats.py``). A reader refuses another layout or format.
SCHEMA = 1
STAMP = "stamp.json"
LOCK = ".lock"
MANIFEST = "manifest.json"
CATALOGUE = "catalogue.json"
SEARCH = "search"
SITE_SEARCH = "site-search"
LANGUAGES = "languages"
REVISION_PREFIX = "r-"
#: The folder name beside the site folder: ``site/`` → ``site-data/``.
SUFFIX = "-data"


def default_folder(site_dir) -> Path:
    """``site/`` → ``site-data/`` (a sibling, so publishing ``site/`` never publishes it)."""
    site = Path(site_dir)
    return site.with_name(site.name + SUFFIX)


def preview_folder(config_file) -> Path:
    """The build output of ``carebase serve``/``mkdocs serve`` for one mkdocs.yml: in the
    temporary folder (a preview never replaces the published output), the same on every run
    (an unchanged content is not indexed again after a restart)."""
    import hashlib
    import tempfile

    key = hashlib.sha1(str(Path(config_file).resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / "carebase-preview" / key


def revision_folder(folder, revision: str) -> Path:
    return Path(folder) / f"{REVISION_PREFIX}{revision}"


def language_folder(path, lang: str) -> Path:
    """Where another language's catalogue and search index sit in a revision folder."""
    return Path(path) / LANGUAGES / lang
