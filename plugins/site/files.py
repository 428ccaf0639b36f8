"""Which files MkDocs publishes: content sources, transcripts and unpublished Markdown are
taken out, links out of the content folder refused (the plugin's ``on_config``/``on_files``)."""

from __future__ import annotations

import os

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from carebase.plugins.site.adapters import report

SOURCE_SUFFIXES = (".yml", ".yaml")
CUE_SUFFIXES = (".vtt", ".srt")


def refuse_folder_links(docs_dir: str) -> None:
    """MkDocs lists docs_dir following folder links (a link to a parent folder never ends),
    before any plugin sees the files: stop the build before that, naming each link."""
    from carebase.content.tree import folder_links

    problems = folder_links(docs_dir)
    if problems:
        report(problems, root=docs_dir)
        raise PluginError(f"carebase: {len(problems)} folder link(s) in {docs_dir} (listed above): "
                          "MkDocs would follow them; remove them and build again")


def drop_outside(files: Files, docs_dir: str, quiet: bool) -> None:
    """Files that are not really in docs_dir (links out of it, links to nothing, named pipes,
    devices) are never read nor copied; ``quiet`` when the catalogue already reported them."""
    from carebase.content.problems import error
    from carebase.content.tree import not_content

    real_root = os.path.realpath(docs_dir)
    docs = os.path.abspath(docs_dir)
    refused = []
    for file in list(files):
        if file.abs_src_path and not file.generated_by and file.src_dir and os.path.abspath(file.src_dir) == docs:
            why = not_content(file.abs_src_path, real_root)
            if why:
                files.remove(file)
                refused.append(error(file.src_uri, 0, "", f"expected a file inside the content folder, found {why}; "
                                                          "it is not published"))
    if refused and not quiet:
        report(refused, root=docs_dir)


def drop_sources(files: Files, catalogues: dict, drafts: bool) -> None:
    """YAML sources, transcript files (.vtt/.srt that are not a published video's captions)
    and any Markdown that is not a published article (drafts, articles with errors, files
    that did not load) are never published; media are."""
    captions = {c.src.lstrip("/") for cat in catalogues.values() for v in cat.videos for c in v.captions}
    articles = {a.path for cat in catalogues.values() for a in cat.articles if drafts or not a.draft}
    for file in list(files):
        uri = file.src_uri
        if file.generated_by:
            continue
        if (uri.endswith(SOURCE_SUFFIXES) or (file.is_documentation_page() and uri not in articles)
                or (uri.lower().endswith(CUE_SUFFIXES) and uri not in captions)):
            files.remove(file)
