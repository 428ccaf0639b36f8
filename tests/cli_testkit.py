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


def run_carebase(*args: str, cwd=None, env: dict | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    """``carebase ARGS`` run in this process: the console script's own entry point
    (``carebase.cli.main``) with the working directory, environment and standard streams
    swapped for the call — what a subprocess would show, without a new Python's start-up
    and imports (about half a second a call). Streams are not terminals here: use
    ``run_on_terminal`` for what a terminal shows, and a real subprocess for process-level
    behaviour (signals, servers)."""
    import contextlib
    import io

    from carebase.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_cwd, saved_env, saved_stdin = os.getcwd(), dict(os.environ), sys.stdin
    try:
        if cwd is not None:
            os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))  # with .buffer, as MkDocs' load_config reads
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: --help, --version, usage errors
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if isinstance(exc.code, str):
                    err.write(exc.code + "\n")
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(saved_env)
    return subprocess.CompletedProcess(["carebase", *args], code, out.getvalue(), err.getvalue())


def run_interactive(args: list[str], typed: str, *, cwd=None, timeout: float = 60) -> tuple[int, str]:
    """``python -m carebase ARGS`` with its standard input, output and error on one
    pseudo-terminal, as a writer at a terminal runs it; ``typed`` is what they type (lines
    end with "\\n"). Gives back the exit code and everything the terminal showed (typed
    text is echoed, lines end with "\\r\\n")."""
    import pty
    import select
    import time

    main, replica = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.Popen([sys.executable, "-m", "carebase", *args], cwd=cwd, env=env,
                            stdin=replica, stdout=replica, stderr=replica, close_fds=True)
    os.close(replica)
    os.write(main, typed.encode())
    shown, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other end closed and everything is read
                break
            if not chunk:
                break
            shown.append(chunk)
        elif proc.poll() is not None:
            break
    os.close(main)
    code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    return code, b"".join(shown).decode("utf-8", "replace")
