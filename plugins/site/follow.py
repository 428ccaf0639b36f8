"""What follows a save in ``carebase serve`` once its pages are served (preview.py): the
re-rendered pages' entries in Material's ``search_index.json``, the Markdown twins and llms
files, and the build output the feedback service follows (a new revision: manifest,
catalogue snapshot, search index).

At 10,000 items these cost seconds of CPU (every twin, llms-full.txt, a 20 MB snapshot, the
index). Written in a thread of the server they held the interpreter while the next save was
rendering its page (a save took 3.9 s instead of 0.5). So they are written by a child process
forked from the server (it has the catalogue, the MkDocs config and the site context already:
nothing is sent to it), at a lower priority than the server, one child at a time; saves that
come while a child runs are folded into the next one, which writes for the newest catalogue.
A full build stops the running child (it writes all of this itself). Where ``fork`` is not
available (Windows, macOS's unsafe fork), a thread writes them as before.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import warnings
from pathlib import Path

from carebase.plugins.site.adapters import log

NICE = 10  # the child's priority below the server's: the next save's page renders first
#: A child still running after this long is ended (it never blocks the next full build for
#: longer); the next full build writes everything it would have.
CHILD_SECONDS = 900
FORK = hasattr(os, "fork") and sys.platform != "darwin"


class Follower:
    def __init__(self, fork: bool = FORK) -> None:
        self._fork = fork
        self._lock = threading.Lock()
        self._catalogue = None
        self._entries: dict[str, list] = {}  # page URL -> its Material search entries
        self._records: set[str] = set()  # generated pages' URLs: carebase's own search records
        self._output = False  # the build output is not the newest catalogue's yet
        # twins of pages removed since the last full build: a run writing for an older
        # catalogue may have written one again after the page went, so every run deletes
        # those its own catalogue does not hold (the last run's catalogue is the newest)
        self._removed: set[str] = set()
        self._after: threading.Thread | None = None  # the newest change's follow-up in the server
        self._thread: threading.Thread | None = None
        self._child: int | None = None
        self._stopped = False

    def want(self, plugin, catalogue, entries: dict[str, list], after: threading.Thread | None = None,
             records: set[str] = frozenset(), output: bool = True, removed: set[str] = frozenset()) -> None:
        """Write for ``catalogue`` (``entries``: the re-rendered articles' search entries by page
        URL; ``records``: the URLs of the generated pages whose carebase records changed) once
        ``after`` (the site search's shards) is done; ``output``: False when the caller wrote
        the build output for ``catalogue`` itself; ``removed``: the twins (paths from the site
        root) of the pages this change removed."""
        with self._lock:
            self._catalogue = catalogue
            self._removed |= set(removed)
            self._after = after
            self._entries.update(entries)
            self._records |= set(records)
            self._output = output  # the newest catalogue's: an earlier save's need is covered
            self._stopped = False
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, args=(plugin,), name="carebase-preview-follow",
                                                daemon=True)
                self._thread.start()

    def join(self) -> None:
        """Wait until everything wanted is written."""
        thread = self._thread
        if thread is not None:
            thread.join()

    def stop(self) -> None:
        """A full build starts (or serve ends): drop what is not written yet, end the running child."""
        with self._lock:
            self._catalogue, self._entries, self._records, self._output, self._stopped = None, {}, set(), False, True
            self._removed, self._after = set(), None  # the full build writes the site again
            child = self._child
        if child is not None:
            try:
                os.kill(child, signal.SIGTERM)
            except OSError:
                pass
        self.join()

    def _run(self, plugin) -> None:
        while True:
            with self._lock:
                after = self._after
            if after is not None:
                after.join()  # never fork while a change's follow-up (shards, pages) writes
            with self._lock:
                if self._after is not after:
                    continue  # a newer change came meanwhile: wait for its follow-up too
                catalogue, entries, records, output = self._catalogue, self._entries, self._records, self._output
                removed = set(self._removed)
                self._catalogue, self._entries, self._records, self._output = None, {}, set(), False
                if catalogue is None:
                    self._thread = None
                    return
                child = self._start_child(plugin, catalogue, entries, records, output, removed) if self._fork else None
                self._child = child
            if child is None:
                write(plugin, catalogue, entries, records, output, removed=removed)
                continue
            _, status = os.waitpid(child, 0)  # the GIL is free meanwhile
            with self._lock:
                self._child = None
                stopped = self._stopped
            if status and not stopped:
                log.warning("carebase: the process writing the search index, machine files and build output after "
                            f"a save ended with status {status}; they are written whole at the next full build")

    @staticmethod
    def _start_child(plugin, catalogue, entries: dict[str, list], records: set[str], output: bool,
                     removed: set[str]) -> int | None:
        parent = os.getpid()
        for stream in (sys.stdout, sys.stderr):  # else the child would write what they hold again
            try:
                stream.flush()
            except Exception:
                pass
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns of fork in a process with threads
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError as exc:
            log.warning(f"carebase: cannot start a process to write after a save ({exc}); writing in this one")
            return None
        if pid:
            return pid
        code = 1
        try:  # the child: write, then leave without running the server's exit handlers
            os.nice(NICE)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal is the server's
            signal.alarm(CHILD_SECONDS)
            _exit_with(parent)
            write(plugin, catalogue, entries, records, output, wait=True, removed=removed)
            code = 0
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            os._exit(code)


def _exit_with(parent: int) -> None:
    """End this child within half a second of the server's death (carebase.children)."""
    from carebase.children import WATCH_SECONDS

    def watch() -> None:
        while os.getppid() == parent:
            stopped.wait(WATCH_SECONDS)
        os._exit(70)

    stopped = threading.Event()
    threading.Thread(target=watch, daemon=True).start()


def write(plugin, catalogue, entries: dict[str, list], records: set[str] = frozenset(), output: bool = True,
          wait: bool = False, removed: set[str] = frozenset()) -> None:
    """Material's search entries of the pages rendered again (``records``: generated pages
    whose entries are carebase's records), the twins and llms files, and (``output``) the build
    output for ``catalogue`` (``wait``: until its search index is written); ``removed``: twins
    of removed pages, deleted unless ``catalogue`` has them again."""
    from carebase.pages.records import generated_records
    from carebase.plugins.site.outputs import update_search_index, write_machine_files
    from carebase.plugins.site.preview_files import remove_file

    built = plugin.preview.built
    site = Path(built.config.site_dir)
    try:
        own = [r for r in generated_records(plugin.ctx) if r["location"].split("#")[0] in records] if records else []
        update_search_index(site, set(entries) | set(records), [e for found in entries.values() for e in found],
                            catalogue, own)
        written = write_machine_files(site, built.config, catalogue, plugin.ctx,
                                      {lang: plugin.ctxs[lang] for lang in plugin.languages.others})
        for rel in sorted(set(removed) - written):  # written again by an earlier catalogue's run
            remove_file(site, rel)
    except Exception as exc:  # a preview keeps serving; the next full build writes everything
        log.warning(f"carebase: updating the search index and machine files after a save failed ({exc}); "
                    "they are written whole at the next full build")
    if output:
        write_output(plugin, catalogue, site, wait)


def write_output(plugin, catalogue, site: Path, wait: bool = False, worker: bool | None = None) -> None:
    """The build output for ``catalogue`` (manifest, snapshot, then the search index) and the
    site's published copy of the manifest; ``wait``: until the index is written; ``worker``:
    the index in a worker process whatever the site's size (``open_output``)."""
    from carebase.output import OutputError, open_output

    try:
        languages = plugin.languages  # every language's catalogue: the output holds them all
        plugin.output = open_output(plugin.site_data, catalogue, drafts=plugin.config.drafts,
                                    reasons=plugin.settings.reasons, worker=worker,
                                    strings=getattr(plugin, "published_strings", None),
                                    languages={lang: plugin.catalogues[lang] for lang in languages.others},
                                    language=languages.default)
        (site / "manifest.json").write_bytes(plugin.output.manifest_bytes)
        if wait:
            plugin.output.wait()  # a worker process writing the index ends with this one
    except (OutputError, OSError) as exc:
        log.warning(f"carebase: cannot write the build output in {plugin.site_data}: {exc}")
