"""Planted wordings for the topic rows' unit tests: each wording's failed searches and a vector
standing for its meaning, as the report's grouping would give them."""

from __future__ import annotations

from collections import Counter

import numpy as np

from carebase.report.missing import Cluster


class Planted:
    """``table``: wording → (failed searches, vector). ``wordings``: each wording's Cluster;
    ``vector(cluster)``: its unit-length vector (what the report's ``vector_of`` gives)."""

    def __init__(self, table: dict[str, tuple[int, list[float]]]):
        self.table = table
        self.wordings = {text: self.wording(text) for text in table}

    def wording(self, text: str) -> Cluster:
        failed = self.table[text][0]
        return Cluster(key=tuple(text.split()), failed=failed, searches=failed, queries=Counter({text: failed}))

    def vector(self, cluster) -> np.ndarray:
        v = np.array(self.table[cluster.label()][1], dtype=np.float32)
        return v / np.linalg.norm(v)
