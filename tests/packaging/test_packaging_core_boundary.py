"""The layers import one way: the CLI (generator/cli/, imported as carebase.cli) is the top
layer and may import anything; the MkDocs adapter (plugins/ → carebase.plugins, theme/ →
carebase.theme) calls the core; the core (the rest of generator/, imported as carebase) never
imports MkDocs, Material, the adapter or the CLI, so it survives a change of renderer."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "generator"
CLI = CORE / "cli"
ADAPTER = (REPO / "plugins", REPO / "theme")
FORBIDDEN_IN_CORE = ("mkdocs", "material", "carebase.plugins", "carebase.theme", "carebase.cli")


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.lineno, node.module)]
            # `from carebase import plugins` names the package in the imported names
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def _offenders(paths, forbidden) -> list[str]:
    return [f"{path.relative_to(REPO)}:{line}: {name}"
            for path in paths for line, name in _imports(path)
            if any(name == f or name.startswith(f + ".") for f in forbidden)]


def _core_modules() -> list[Path]:
    return [p for p in sorted(CORE.rglob("*.py")) if CLI not in p.parents and p.name != "__main__.py"]


def test_the_core_imports_neither_mkdocs_nor_the_adapter_nor_the_cli():
    offenders = _offenders(_core_modules(), FORBIDDEN_IN_CORE)
    assert not offenders, "the core imports a layer above it:\n" + "\n".join(offenders)


def test_the_adapter_never_imports_the_cli():
    adapter = [p for folder in ADAPTER for p in sorted(folder.rglob("*.py"))]
    offenders = _offenders(adapter, ("carebase.cli",))
    assert not offenders, "the MkDocs adapter imports the CLI:\n" + "\n".join(offenders)


def test_the_check_sees_what_it_forbids(tmp_path):
    """The scan itself: each forbidden form is caught, the allowed ones are not."""
    module = tmp_path / "m.py"
    module.write_text("import mkdocs.config\nfrom carebase import plugins\nfrom carebase.theme import x\n"
                      "import carebase.cli\nfrom material.plugins import y\n"
                      "from carebase.content import load_catalogue\nimport markdown\n", encoding="utf-8")
    names = [name for _, name in _imports(module) if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE)]
    assert {n.split(".")[0] if not n.startswith("carebase") else ".".join(n.split(".")[:2]) for n in names} == {
        "mkdocs", "material", "carebase.plugins", "carebase.theme", "carebase.cli"}
    assert not any(n.startswith(("carebase.content", "markdown")) for n in names)
