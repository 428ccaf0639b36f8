"""The core (generator/, imported as carebase) never imports MkDocs: MkDocs and Material
are the rendering adapter (plugins/, theme/), kept thin so the core survives a renderer change."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "generator"


def test_no_module_of_the_core_imports_mkdocs():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(CORE.parent)}:{node.lineno}: {n}" for n in names
                          if n == "mkdocs" or n.startswith("mkdocs.") or n.startswith("material")]
    assert not offenders, "the core imports MkDocs/Material:\n" + "\n".join(offenders)
