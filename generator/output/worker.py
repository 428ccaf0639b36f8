"""``python -m carebase.output.worker FOLDER REVISION``: write the search index of one
revision of a build output (started by ``open_output`` for large catalogues, so the index
is written on another core while the site's pages render)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from carebase.output.layout import CATALOGUE, revision_folder
    from carebase.output.build import index_revision
    from carebase.output.snapshot import loads

    folder, revision = argv
    catalogue = loads((revision_folder(folder, revision) / CATALOGUE).read_text(encoding="utf-8"))
    index_revision(folder, revision, catalogue, procs=1)  # the other core renders pages
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
