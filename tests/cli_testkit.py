"""Running the carebase command as a user at a terminal sees it.

A uniquely named module (never ``from conftest import``): tests/ is on ``sys.path`` because
tests/conftest.py lives there, so every folder imports it as ``from cli_testkit import …``."""

from __future__ import annotations

import os
import subprocess
import sys


def run_on_terminal(args: list[str], *, terminal: str, unset: tuple[str, ...] = ("CI",),
                    **kwargs) -> tuple[subprocess.CompletedProcess, bytes]:
    """``python -m carebase ARGS`` with one stream (``terminal``: "stdout" or "stderr") on a
    pseudo-terminal and the other captured, the variables in ``unset`` removed from the
    environment; gives back the process and the bytes the terminal showed."""
    import pty

    main, replica = pty.openpty()
    other = "stderr" if terminal == "stdout" else "stdout"
    env = {k: v for k, v in os.environ.items() if k not in unset}
    try:
        proc = subprocess.run([sys.executable, "-m", "carebase", *args], env=env,
                              **{terminal: replica, other: subprocess.PIPE}, **kwargs)
    finally:
        os.close(replica)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other end is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc, b"".join(chunks)
