"""The carebase MkDocs plugin (thin: it calls ``carebase.pages`` and places the result)."""
