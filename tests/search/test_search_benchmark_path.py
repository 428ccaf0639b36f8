"""Benchmark modules a test imports leave ``sys.path`` as they found it: benchmarks/search holds a
``material.py`` (Material's client search, run in Node), which hides mkdocs-material's ``material``
package from the whole test process once that folder is first on ``sys.path``. The tests put the
folder last; relevance_languages.py and separable_search.py put it first when imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "search"
PROBE = """
import sys
sys.path.append(sys.argv[1])  # as the tests that import benchmark modules do
before = list(sys.path)
import relevance_languages, separable_search
import material
print(sys.path == before, material.__file__)
"""


def test_importing_the_german_benchmarks_leaves_mkdocs_material_importable():
    done = subprocess.run([sys.executable, "-c", PROBE, str(BENCH)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    unchanged, found = done.stdout.split()
    assert unchanged == "True" and Path(found).parent.name == "material" and BENCH not in Path(found).parents, found


def test_the_german_benchmarks_still_run_as_scripts():
    for name in ("relevance_languages.py", "separable_search.py"):
        done = subprocess.run([sys.executable, str(BENCH / name), "--help"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and "usage" in done.stdout, (name, done.stderr)
