"""carebase: turn help content kept in Git into a searchable help centre.

The core (this package) never imports MkDocs: content model, search, store, service
and report live here; ``carebase.plugins`` and ``carebase.theme`` adapt it to MkDocs.

The version is written in one place, pyproject.toml's ``[project] version`` (CHANGELOG.md's
top entry names the same; tests/packaging/test_packaging_version.py checks both):
``carebase.__version__`` is the installed package's metadata, read on first use.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    if name == "__version__":  # read on first use: importing importlib.metadata costs ~24 ms (load 22)
        from importlib.metadata import version

        globals()["__version__"] = found = version("carebase")
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
