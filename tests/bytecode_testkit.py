"""Compile the run's Python once, before pytest's worker processes start (``bash tests/run`` calls
``python tests/bytecode_testkit.py``).

In a clean clone nothing is compiled yet (uv installs the packages without bytecode; the
checkout has no ``__pycache__``), and the workers (4 when this was measured, 6 since 0493776)
start at once and each import and collect the same ~1,400 modules and 200 test files: every one of them compiled the packages it
imports (~6 s of CPU) and rewrote every test file's asserts (~5 s), because none had written its
``.pyc`` yet when the others looked (one process collecting the suite cold: 15.8 s of CPU, warm:
4.5 s; benchmarks/RESULTS.md, session 43). So the same ~11 s of CPU was spent once per worker,
and again by the first subprocesses (builds, services) of the run. Here it is done once, on
every core:

- every module of the packages (the virtual environment's site-packages), carebase's own
  (generator/, plugins/) and the test kits: plain bytecode (``compileall``; a file whose ``.pyc``
  is up to date is only looked at); the packages only when they changed since the last time
  (a stamp in .venv, the install's);
- every test file and ``conftest.py``: pytest's own rewritten ``.pyc`` (its assert rewriting,
  the file pytest reads instead of rewriting again), written with pytest's own functions.

It changes nothing a test sees: the same files Python and pytest write on first import, each
written whole (an atomic rename). When pytest's internals differ from what this expects, the
rewriting is left to pytest's workers, as before (said on stderr).
"""

from __future__ import annotations

import compileall
import os
import py_compile
import re
import sys
import sysconfig
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STAMP = REPO / ".venv" / ".carebase-bytecode"  # the install stamp the packages were compiled for
#: the packages' files no run imports (the installers, the packages' own tests: 1,073 of 5,185
#: files); compiled on import as before if one ever is
NOT_IMPORTED = re.compile(r"/site-packages/((pip|setuptools|pkg_resources|_distutils_hack)/|.*/(tests?|testing)/)")
#: what an import writes (compileall would write hash-checked files when SOURCE_DATE_EPOCH is set)
MODE = py_compile.PycInvalidationMode.TIMESTAMP


def _workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def compile_packages(install_stamp: str | None) -> None:
    """Plain bytecode for the site-packages (when the install changed), carebase and the test kits."""
    workers = _workers()
    if install_stamp is None or not STAMP.exists() or STAMP.read_text() != install_stamp:
        compileall.compile_dir(sysconfig.get_paths()["purelib"], quiet=2, workers=workers, invalidation_mode=MODE,
                               rx=NOT_IMPORTED)
        if install_stamp is not None:
            STAMP.write_text(install_stamp)
    for folder in ("generator", "plugins"):
        if (REPO / folder).is_dir():
            compileall.compile_dir(REPO / folder, quiet=2, workers=workers, invalidation_mode=MODE)
    compileall.compile_dir(REPO / "tests", quiet=2, workers=workers, rx=_rewritten_by_pytest(), invalidation_mode=MODE)


def _rewritten_by_pytest():
    return re.compile(r"(^|/)(test_[^/]*|conftest)\.py$|/node_modules/")


def test_files() -> list[Path]:
    """The files pytest rewrites when it collects tests/ (``test_*.py``, ``conftest.py``)."""
    return sorted(p for p in (REPO / "tests").rglob("*.py")
                  if (p.name.startswith("test_") or p.name == "conftest.py") and "node_modules" not in p.parts)


def _rewrite(paths: list[str]) -> int:
    """Write pytest's rewritten ``.pyc`` of each path that has none up to date; how many were written."""
    from _pytest.assertion import rewrite

    class _State:  # what _write_pyc reports its errors to
        @staticmethod
        def trace(*_args) -> None:
            pass

    written = 0
    for name in paths:
        fn = Path(name)
        pyc = rewrite.get_cache_dir(fn) / (fn.name[:-3] + rewrite.PYC_TAIL)
        if rewrite._read_pyc(fn, pyc) is not None:
            continue
        rewrite.try_makedirs(pyc.parent)
        source_hash, co = rewrite._rewrite_test(fn, None)
        written += bool(rewrite._write_pyc(_State, co, source_hash, pyc))
    return written


def rewrite_tests() -> int:
    """pytest's rewritten ``.pyc`` of every test file, split over the cores; -1 when pytest's
    internals are not the ones expected (the workers rewrite them then, as without this)."""
    try:
        from _pytest.assertion import rewrite

        for name in ("get_cache_dir", "PYC_TAIL", "_read_pyc", "try_makedirs", "_rewrite_test", "_write_pyc"):
            getattr(rewrite, name)
    except (ImportError, AttributeError):
        return -1
    if _ini_enables_pass_hook():  # a rewrite without the config would leave the hook out
        return -1
    files = [str(p) for p in test_files()]
    workers = _workers()
    chunks = [files[i::workers] for i in range(workers)]
    try:
        with ProcessPoolExecutor(workers) as pool:
            return sum(pool.map(_rewrite, chunks))
    except Exception as exc:  # noqa: BLE001 - a warm-up only: pytest rewrites them itself
        print(f"tests/bytecode_testkit.py: test files not rewritten ahead ({exc!r}); pytest's workers will", file=sys.stderr)
        return -1


def _ini_enables_pass_hook() -> bool:
    for name in ("pyproject.toml", "pytest.ini", "tox.ini", "setup.cfg"):
        path = REPO / name
        if path.exists() and "enable_assertion_pass_hook" in path.read_text(encoding="utf-8", errors="replace"):
            return True
    return False


if __name__ == "__main__":  # python tests/bytecode_testkit.py [INSTALL_STAMP]
    if sys.dont_write_bytecode:
        sys.exit(0)  # nothing would be written (PYTHONDONTWRITEBYTECODE): pytest's workers do it all
    compile_packages(sys.argv[1] if len(sys.argv) > 1 else None)
    rewrite_tests()
