"""A throwaway PostgreSQL server for tests and benchmarks (test support, not part of the
carebase package; never for production data).

``with temporary_postgres() as url:`` runs ``initdb`` into a temporary folder, starts
``postgres`` on a free port of 127.0.0.1 with its socket in that folder, yields a
``postgresql://postgres@127.0.0.1:PORT/postgres`` URL and removes everything afterwards.
PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user
(through ``runuser``). ``PostgresUnavailable`` says why when that is impossible.
``start_postgres(folder)`` and ``stop_postgres(folder)`` do the same from two processes (the
run's one server, started by the first xdist worker that needs it and stopped at the end of
the run: tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable("no PostgreSQL server binaries (initdb) found; install the postgresql package")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runner() -> tuple[list[str], int | None, int | None]:
    """Command prefix to run as a non-root user, and that user's uid/gid for chown."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root and there is no 'postgres' user to run PostgreSQL as") from None
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--"], user.pw_uid, user.pw_gid
    return ["su", "postgres", "-s", "/bin/sh", "-c"], user.pw_uid, user.pw_gid


@contextlib.contextmanager
def temporary_postgres(*, fsync: bool = True) -> Iterator[str]:
    base = Path(tempfile.mkdtemp(prefix="carebase-pg-"))
    process = None
    try:
        process, url = start_postgres(base, fsync=fsync)
        yield url
    finally:
        if process is not None and process.poll() is None:
            _stop_postmaster(base / "data", process)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(base, ignore_errors=True)


def start_postgres(base: Path, *, fsync: bool = True, max_connections: int = 200) -> tuple[subprocess.Popen, str]:
    """initdb into ``base``/data and start the server (its socket and log in ``base``); returns
    (the process, its URL) once it answers. ``stop_postgres(base)`` stops it from any process."""
    bindir = find_bindir()
    prefix, uid, gid = _runner()
    data = base / "data"
    data.mkdir()
    if uid is not None:
        os.chown(base, uid, gid)
        os.chown(data, uid, gid)
    os.chmod(base, 0o755)

    def command(args: list[str]) -> list[str]:
        if prefix and prefix[0] == "su":
            import shlex

            return prefix + [shlex.join(args)]
        return prefix + args

    result = subprocess.run(
        command([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"]),
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {result.stderr.strip()[-500:]}")
    port = _free_port()
    args = [str(bindir / "postgres"), "-D", str(data), "-k", str(base), "-p", str(port),
            "-c", "listen_addresses=127.0.0.1", "-c", f"fsync={'on' if fsync else 'off'}",
            "-c", f"max_connections={max_connections}"]
    with open(base / "postgres.log", "wb") as log:
        process = subprocess.Popen(command(args), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise PostgresUnavailable("postgres exited: " + (base / "postgres.log").read_text()[-800:])
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable("postgres did not start within 30 s") from None
                time.sleep(0.1)
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        _wait_ready(url)
    except BaseException:
        if process.poll() is None:
            _stop_postmaster(data, process)
            process.wait(15)
        raise
    return process, url


def stop_postgres(base: Path, timeout: float = 15) -> None:
    """Stop the server ``start_postgres(base)`` started, from any process (immediate shutdown:
    the data is thrown away), wait until its postmaster has exited, and remove ``base``."""
    try:
        pid = int((base / "data" / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        pid = None
    if pid is not None:
        try:
            os.kill(pid, signal.SIGQUIT)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while _alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.02)
    shutil.rmtree(base, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting for its parent to reap it has exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _stop_postmaster(data: Path, process: subprocess.Popen) -> None:
    """Immediate shutdown (SIGQUIT: no shutdown checkpoint; the data is thrown away anyway).

    ``process`` may be ``runuser``, which does not pass SIGINT on, so the signal goes to
    the pid PostgreSQL writes in ``postmaster.pid`` (this server's own folder).
    """
    try:
        pid = int((data / "postmaster.pid").read_text().split("\n", 1)[0])
        os.kill(pid, signal.SIGQUIT)
    except (OSError, ValueError):
        process.send_signal(signal.SIGQUIT)


def _wait_ready(url: str) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def new_database(server_url: str, prefix: str = "t") -> str:
    """A new, empty database on the server at ``server_url``, named uniquely (the run's server is
    shared by every worker process: a counter per process would give two workers one name)."""
    import uuid

    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name
