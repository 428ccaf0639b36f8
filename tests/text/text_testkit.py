"""Helpers the text-analyser tests share: running analyser.js in Node, outside a browser."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest


def run_node(script: str, payload) -> object:
    """``script``'s JSON answer to ``payload`` (given on stdin); skips when Node is absent."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (needed to run analyser.js outside a browser)")
    done = subprocess.run([node, "-e", script], input=json.dumps(payload), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
