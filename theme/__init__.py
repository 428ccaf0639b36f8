"""The ``carebase`` MkDocs theme: extends Material for MkDocs (see mkdocs_theme.yml)."""
