"""Child processes that end with their parent.

carebase's worker processes (the learned-phrasing worker, the search-index writer, the live
report's ``carebase report`` build) do work the parent asked for; if the parent is killed
(SIGKILL, the out-of-memory killer) they would run on as orphans, holding CPU, memory and
store connections. A parent starts them with ``child_env()``, which names it in
``CAREBASE_PARENT_PID``; the child calls ``exit_with_parent()`` first thing, and a daemon
thread ends it within ``WATCH_SECONDS`` of the parent's death, whatever it is busy with (a
long refresh, a blocked read). Without the variable (run by hand) nothing is watched.
"""

from __future__ import annotations

import os
import threading

PARENT_ENV = "CAREBASE_PARENT_PID"
WATCH_SECONDS = 0.5
EXIT_CODE = 70  # EX_SOFTWARE: the work was abandoned, not finished


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's environment) naming this process as the parent."""
    return {**(os.environ if env is None else env), PARENT_ENV: str(os.getpid())}


def exit_with_parent(interval: float = WATCH_SECONDS) -> bool:
    """End this process when the parent named in the environment is gone (it was this
    process's parent: when the parent dies the child is re-parented, so its parent id
    changes). True when a watch was started."""
    raw = os.environ.pop(PARENT_ENV, "")  # not passed on to this process's own children
    if not raw.isdigit():
        return False
    parent = int(raw)
    if os.getppid() != parent:  # died before the watch started
        os._exit(EXIT_CODE)

    def watch() -> None:
        while os.getppid() == parent:
            stopped.wait(interval)
        os._exit(EXIT_CODE)  # no clean-up of half-done work: the parent that wanted it is gone

    stopped = threading.Event()  # never set: only a timer for the loop
    threading.Thread(target=watch, name="carebase-parent-watch", daemon=True).start()
    return True
