"""Which carebase can read a build output: a format number per part, declared by the code that
writes the part and recorded in the stamp (``formats``).

Every part of the output has its own number, kept beside its writer:

==============  ==============================================  =====================================
part            what it is                                       declared in
==============  ==============================================  =====================================
manifest        ``manifest.json``                                ``carebase.content.manifest.VERSION``
catalogue       ``catalogue.json`` (the catalogue snapshot)      ``carebase.output.snapshot.FORMAT``
search          ``search/``: the Whoosh index, its meta and      ``carebase.search.index.FORMAT``
                the fast engine's arrays
vectors         the document vectors inside ``search/``          ``carebase.search.semantic.FORMAT``
site-search     ``site-search/``: the site search's shards       ``carebase.pages.search_shards.VERSION``
==============  ==============================================  =====================================

A reader (the service, ``carebase report --site-data``, ``carebase mcp``) opens an output only
when the stamp's layout (``schema``) and every part's number are the ones this carebase
writes (``refusal``); else it says which carebase wrote the output and what to do: "rebuild
it: run 'carebase build'". The package version is said, never compared: a release that
changes no format (a patch) reads the outputs of the one before, and one that changes a part
makes the builds of before unreadable at once, with that message, not with a crash deep in a
search. A stamp without ``formats`` was written before the numbers were declared (session 36);
the search index changed since without its number moving (the ``source`` field, session 35),
so such an output is refused as a whole.

A change that a reader of the old files could not read (a field added to the index or the
catalogue, a file's layout changed) raises that part's number. The tests pin every part's shape
to its number, so a change that forgets to raise it fails: the catalogue snapshot's and the
search index's in ``tests/search/test_search_output_formats.py``, the manifest's, the document
vectors', the site search's files' (which the browser's search-index.js reads: it opens only
its own ``FORMAT``) and ``search-page.json``'s (``carebase.pages.search_template.FORMAT``, not
in the stamp: written by the site's build after it) in ``tests/search/test_search_output_pins.py``.
"""

from __future__ import annotations

from functools import cache

from carebase.output.layout import SCHEMA

#: What each part is called in a message.
NAMES = {"manifest": "manifest", "catalogue": "catalogue snapshot", "search": "search index",
         "vectors": "document vectors", "site-search": "site search index"}
WHAT_TO_DO = "rebuild it: run 'carebase build'"


@cache
def declared() -> dict[str, int]:
    """The format of each part this carebase writes (and reads)."""
    from carebase.content.manifest import VERSION as MANIFEST
    from carebase.output.snapshot import FORMAT as CATALOGUE
    from carebase.pages.search_shards import VERSION as SITE_SEARCH
    from carebase.search.index import FORMAT as SEARCH
    from carebase.search.semantic import FORMAT as VECTORS

    return {"manifest": MANIFEST, "catalogue": CATALOGUE, "search": SEARCH, "vectors": VECTORS,
            "site-search": SITE_SEARCH}


def writer(stamp: dict) -> str:
    """Which carebase wrote the output: its version and the start of its code fingerprint."""
    version = stamp.get("carebase")
    code = stamp.get("code")
    name = f"carebase {version}" if isinstance(version, str) and version else "an unknown carebase"
    return f"{name} (code {code[:10]})" if isinstance(code, str) and code else name


def refusal(stamp: dict) -> str | None:
    """Why this carebase cannot read the output ``stamp`` describes, ending with what to do;
    None when it can."""
    from carebase import __version__

    by = writer(stamp)
    if stamp.get("schema") != SCHEMA:
        return (f"written by {by} in layout {stamp.get('schema')!r}, and this carebase ({__version__}) reads "
                f"layout {SCHEMA}: {WHAT_TO_DO}")
    written = stamp.get("formats")
    if not isinstance(written, dict):
        return (f"written by {by}, a carebase from before build outputs declared their formats, which this "
                f"carebase ({__version__}) cannot read: {WHAT_TO_DO}")
    odd = [(part, written.get(part), number) for part, number in declared().items() if written.get(part) != number]
    if not odd:
        return None
    said = "; ".join(f"its {NAMES[part]} is format {found!r}, this carebase ({__version__}) reads format {number}"
                     for part, found, number in odd)
    newer = any(isinstance(found, int) and found > number for _part, found, number in odd)
    return f"written by {by}: {said}: {WHAT_TO_DO}" + (" (or upgrade carebase)" if newer else "")


def compatible(stamp: dict | None) -> bool:
    return stamp is not None and refusal(stamp) is None
