"""A new help centre: the files ``carebase init DIR`` writes (``files/``), ready to build.

The starter is plain files shipped with the package, so what a newcomer gets is what this
folder shows: an ``mkdocs.yml`` with ``site_url``, two categories, one article, one FAQ
file, one video and a synonyms file, all passing ``carebase check --strict``.
"""

from __future__ import annotations

from pathlib import Path

FILES = Path(__file__).parent / "files"
SITE_NAME = "{site_name}"  # the one value filled in when the files are written

GITIGNORE = "# written by carebase build / serve / report\nsite/\nfeedback.db*\nreport/\n"


class NotEmpty(Exception):
    """The target folder already holds files (nothing is overwritten)."""


def starter_files() -> list[Path]:
    """The starter's files, relative to ``FILES``, sorted."""
    return sorted(p.relative_to(FILES) for p in FILES.rglob("*") if p.is_file())


def write_starter(target: Path, site_name: str) -> list[Path]:
    """Write the starter into ``target`` (created when missing; refused when not empty) and
    return the paths written. ``site_name`` becomes the site's title in ``mkdocs.yml``."""
    if target.exists() and not target.is_dir():
        raise NotEmpty(f"{target} is a file")
    if target.is_dir() and any(target.iterdir()):
        raise NotEmpty(f"{target} is not empty")
    written = []
    for rel in starter_files():
        text = (FILES / rel).read_text(encoding="utf-8")
        if rel.name == "mkdocs.yml":
            text = text.replace(SITE_NAME, _yaml_scalar(site_name))
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    gitignore = target / ".gitignore"
    gitignore.write_text(GITIGNORE, encoding="utf-8")
    return [*written, gitignore]


def _yaml_scalar(value: str) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()
