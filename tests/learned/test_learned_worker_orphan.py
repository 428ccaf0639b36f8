"""A learning worker never outlives its service: when the service is SIGKILLed, the worker
ends within a second or so, even when its request pipe stays open (here another process holds
its write end, as a worker busy with a long refresh never reads it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PARENT = textwrap.dedent("""
    import subprocess, sys, time
    from carebase.learned.model import Settings
    from carebase.learned.refresh import _Worker

    worker = _Worker({"url": sys.argv[1], "settings": Settings(), "use_meaning": False, "max_new": 10,
                      "cache": None})
    holder = subprocess.Popen(["sleep", "120"], pass_fds=(worker.process.stdin.fileno(),))
    print(worker.pid, holder.pid, flush=True)
    time.sleep(120)
""")


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for init to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from Linux /proc")
def test_the_worker_ends_when_its_service_is_killed(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", PARENT, f"sqlite:///{tmp_path / 'feedback.db'}"],
                              stdout=subprocess.PIPE, text=True)
    worker, holder = (int(pid) for pid in parent.stdout.readline().split())
    try:
        assert _alive(worker)
        parent.kill()  # SIGKILL: no clean-up of its children
        parent.wait()
        # a bound on a failure only: the worker was just started, so what this wait sees is mostly
        # its own Python start-up (9.4 s with four busy loops on the 2 cores, load ~45)
        deadline = time.monotonic() + 60
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), "the learning worker outlived its killed service"
    finally:
        for pid in (holder, worker):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        parent.stdout.close()
