"""Sub-commands of the ``carebase`` CLI (see ``carebase.cli``)."""
