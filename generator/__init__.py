"""carebase: turn help content kept in Git into a searchable help centre.

The core (this package) never imports MkDocs: content model, search, store, service
and report live here; ``carebase.plugins`` and ``carebase.theme`` adapt it to MkDocs.
"""

__version__ = "0.1.0"
