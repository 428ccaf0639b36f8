"""Helpers the site-search browser tests share."""

from __future__ import annotations

import time


def wait_rows(stack, type_, predicate=lambda r: True, timeout=10.0) -> list:
    """The stored rows of ``type_`` matching ``predicate``, once there is one (the store's
    writer commits after the answer is sent); [] when none came within ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        rows = [r for r in stack.rows(type_) if predicate(r)]
        if rows:
            return rows
        time.sleep(0.1)
    return []
