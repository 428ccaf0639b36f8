"""Helpers the text-analyser tests share: running analyser.js in Node, outside a browser."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from tiers_testkit import starts

ANALYSER_JS = Path(__file__).resolve().parents[2] / "theme" / "assets" / "carebase" / "analyser.js"

#: the start of a Node script: analyser.js loaded into a context (``ctx.window.carebaseAnalyser``)
#: and the payload ``run_node`` gives on stdin read as ``input``
LOAD_ANALYSER_JS = (
    "const vm = require('vm'); const fs = require('fs');"
    "const ctx = {window: {}}; vm.createContext(ctx);"
    f"vm.runInContext(fs.readFileSync({json.dumps(str(ANALYSER_JS))}, 'utf8'), ctx);"
    "const input = JSON.parse(fs.readFileSync(0, 'utf8'));"
)


def run_node(script: str, payload) -> object:
    """``script``'s JSON answer to ``payload`` (given on stdin); skips when Node is absent."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (needed to run analyser.js outside a browser)")
    starts("Node")
    done = subprocess.run([node, "-e", script], input=json.dumps(payload), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
