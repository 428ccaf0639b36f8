"""carebase: turn help content kept in Git into a searchable help centre.

The core (this package) never imports MkDocs: content model, search, store, service
and report live here; ``carebase.plugins`` and ``carebase.theme`` adapt it to MkDocs.
"""

#: The version, written here only: pyproject.toml reads it (``dynamic = ["version"]``), CHANGELOG.md's
#: top entry names it (tests/packaging/test_packaging_version.py). Here rather than in pyproject.toml so
#: a checkout's code and the version it reports and stamps its outputs with never disagree, even in an
#: editable install whose metadata was written before the last bump (reader 49, R7).
__version__ = "0.2.0"
