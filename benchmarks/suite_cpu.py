"""The CPU a command and every process it starts used, orphans included, beside what `/usr/bin/time`
would report (Linux).

    python benchmarks/suite_cpu.py [--json] -- bash tests/run -n 2 FILES...

A process whose parent ended first (Chromium's helpers when a browser closes, a killed server's
children) is re-parented to init and reaped there, so its CPU never reaches the `getrusage` of the
command that started it: `/usr/bin/time` (and CI's CPU figure) leave it out. Here this process
makes itself the command's child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`), so those orphans are
re-parented to it; after the command ends it waits for each of them too (at most --wait seconds)
and prints both totals. benchmarks/RESULTS.md, session 46 (`suite`): 16-22 % of a browser-heavy
run's CPU was such orphans'."""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def cpu() -> tuple[float, float]:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime, used.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wait", type=float, default=120.0, help="seconds to wait for orphans still running")
    parser.add_argument("--json", action="store_true", help="one JSON line instead of the text")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command (after --)")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given (python benchmarks/suite_cpu.py -- COMMAND ...)")
    if not sys.platform.startswith("linux"):
        parser.error("needs Linux (prctl PR_SET_CHILD_SUBREAPER)")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        parser.error(f"prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}")
    start = time.perf_counter()
    code = subprocess.call(command)
    wall = time.perf_counter() - start
    seen_user, seen_sys = cpu()  # what /usr/bin/time would print: orphans not yet waited for
    deadline = time.monotonic() + args.wait
    left = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            if time.monotonic() > deadline:
                left = 1
                break
            time.sleep(0.05)
    user, system = cpu()
    result = {"exit": code, "wall": round(wall, 1), "cpu": round(user + system, 2), "user": round(user, 2),
              "sys": round(system, 2), "cpu_seen_by_time": round(seen_user + seen_sys, 2),
              "orphans_cpu": round(user + system - seen_user - seen_sys, 2), "orphans_left_running": bool(left)}
    if args.json:
        print(json.dumps(result), file=sys.stderr)
    else:
        print(f"exit {code}, {wall:.1f} s wall; CPU {result['cpu']:.2f} s ({user:.2f} user + {system:.2f} sys), "
              f"of which {result['orphans_cpu']:.2f} s by processes reaped here as orphans "
              f"(/usr/bin/time would say {result['cpu_seen_by_time']:.2f} s)"
              + ("; orphans still running were left" if left else ""), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
