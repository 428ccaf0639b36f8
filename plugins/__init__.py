"""MkDocs plugins for carebase: thin event handlers that call the core (``carebase``)."""
