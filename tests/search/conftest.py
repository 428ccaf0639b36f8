"""The demo help centre's search index, built once for the search tests that read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebase.content import load_catalogue
from carebase.search.index import build_index

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory):
    """(the demo's catalogue, the folder of its index)."""
    catalogue = load_catalogue(REPO / "content")
    folder = tmp_path_factory.mktemp("demo-ix")
    build_index(catalogue, folder)
    return catalogue, folder
