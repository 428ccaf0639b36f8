"""A throwaway PostgreSQL server for tests and benchmarks (test support, not part of the
carebase package; never for production data).

``with temporary_postgres() as url:`` runs ``initdb`` into a temporary folder, starts
``postgres`` on a free port of 127.0.0.1 with its socket in that folder, yields a
``postgresql://postgres@127.0.0.1:PORT/postgres`` URL and removes everything afterwards.
PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user
(through ``runuser``). ``PostgresUnavailable`` says why when that is impossible.
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
    bindir = find_bindir()
    prefix, uid, gid = _runner()
    base = Path(tempfile.mkdtemp(prefix="carebase-pg-"))
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

    process = None
    try:
        result = subprocess.run(
            command([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"]),
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {result.stderr.strip()[-500:]}")
        port = _free_port()
        args = [str(bindir / "postgres"), "-D", str(data), "-k", str(base), "-p", str(port),
                "-c", "listen_addresses=127.0.0.1", "-c", f"fsync={'on' if fsync else 'off'}",
                "-c", "max_connections=200"]
        log = open(base / "postgres.log", "wb")
        process = subprocess.Popen(command(args), stdout=log, stderr=subprocess.STDOUT)
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
        yield url
    finally:
        if process is not None and process.poll() is None:
            _stop_postmaster(data, process)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(base, ignore_errors=True)


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
