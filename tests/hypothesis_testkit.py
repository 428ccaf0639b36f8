"""How many examples a property test draws: ``examples(local, ci)``.

In CI (CI=true) Hypothesis runs derandomized (conftest.py's "ci" profile): the same examples on
every run, so a run passes or fails on its code, never on the draw. There each test draws its
``ci`` count, chosen to keep what the test has found (each test file says how); a developer's
runs draw ``local`` random examples, new ones every run, which is where new bugs are found.
"""

from __future__ import annotations

import os

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def examples(local: int, ci: int) -> int:
    """``ci`` in CI, ``local`` elsewhere."""
    return ci if CI else local
