"""Numbered migrations: ``vNNNN_<name>.py`` each with ``upgrade(connection)``. Never edit one that shipped; add the next."""
