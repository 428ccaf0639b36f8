"""The worker process that writes a large revision's search index (started by
``open_output``, so the index is written on another core while the site's pages render):
``start``/``running``/``stop``/``join`` on the caller's side, and the process itself,
``python -m carebase.output.worker FOLDER REVISION``."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from carebase.output import stamp as stamps
from carebase.output.errors import OutputError

_workers: dict[Path, "Worker"] = {}
_workers_lock = threading.Lock()


class Worker:
    def __init__(self, folder: Path, revision: str):
        self.revision = revision
        from carebase.children import child_env

        from carebase.output.progress import wanted

        env = child_env({**os.environ, "PYTHONUNBUFFERED": "1"})  # the worker ends with the build
        env["CAREBASE_PROGRESS"] = "1" if wanted() else "0"  # its stderr is a pipe: this process shows its notes
        self.process = subprocess.Popen(
            [sys.executable, "-m", "carebase.output.worker", str(folder), revision],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        self.errors: list[str] = []
        self._reader = threading.Thread(target=self._read, name="carebase-index-worker-stderr", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """The worker's stderr as it comes: progress notes to this process's terminal, the
        rest kept for the error message."""
        from carebase.output.progress import MARK

        for line in self.process.stderr:
            if line.startswith(MARK):
                print(line[len(MARK):], end="", file=sys.stderr, flush=True)
            else:
                self.errors.append(line)

    def join(self) -> None:
        self.process.wait()
        self._reader.join()
        err = "".join(self.errors).strip()
        if self.process.returncode not in (0, -15):
            raise OutputError(f"writing the search index failed: {err.splitlines()[-1] if err else self.process.returncode}")


def running(folder: Path, revision: str) -> bool:
    found = _workers.get(folder)
    return found is not None and found.revision == revision and found.process.poll() is None


def stop(folder: Path) -> None:
    with _workers_lock:
        found = _workers.pop(folder, None)
    if found is not None and found.process.poll() is None:
        found.process.terminate()
        found.process.wait()


def join(out) -> None:
    """Wait for the worker writing ``out``'s index (if any), then re-read the stamp."""
    with _workers_lock:
        found = _workers.get(out.folder)
    if found is not None and found.revision == out.revision:
        found.join()
        with _workers_lock:
            if _workers.get(out.folder) is found:
                del _workers[out.folder]
    out.stamp = stamps.read(out.folder) or out.stamp
    if not out.indexed:
        raise OutputError(f"{out.folder}: the search index of revision {out.revision} was not written")


def start(folder: Path, revision: str) -> None:
    with _workers_lock:
        _workers[folder] = Worker(folder, revision)


def main(argv: list[str]) -> int:
    from carebase.children import exit_with_parent

    exit_with_parent()
    from carebase.output.layout import CATALOGUE, LANGUAGES, revision_folder
    from carebase.output.indexing import index_revision
    from carebase.output.snapshot import loads

    folder, revision = argv
    path = revision_folder(folder, revision)
    catalogue = loads((path / CATALOGUE).read_text(encoding="utf-8"))
    others = {sub.name: loads((sub / CATALOGUE).read_text(encoding="utf-8"))
              for sub in sorted((path / LANGUAGES).glob("*")) if (sub / CATALOGUE).is_file()}
    index_revision(folder, revision, catalogue, procs=1, languages=others)  # the other core renders pages
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
