"""Jinja's compiled templates kept between builds (carebase's cache folder, ``jinja/``).

Every ``mkdocs build`` makes a new Jinja environment and compiles the theme's templates
(carebase's and Material's) again: a few seconds of CPU per build, the same result each time.
With a ``jinja2.FileSystemBytecodeCache`` a build loads the compiled code instead.

When the compiled code is reused:
- the template's source is the same (Jinja stores the source's checksum with the code and
  compiles again when it differs: an edited template is compiled again);
- the template's name and file are the same (Jinja's key);
- Jinja, Python and everything about the environment that changes the compiled code are the
  same: the syntax settings, the extensions, and which filters and tests exist with how they
  are called (context, eval context or environment first): the folder's name is a digest of
  them (``folder_for``).

``CAREBASE_CACHE_DIR=off`` turns it off (as every carebase cache). A folder that cannot be
made or written leaves the build as before (compiling every template).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jinja2

SUBFOLDER = "jinja"


class _Cache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache that never fails a build: a file it cannot read or write is a miss."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _pass_arg(func) -> str:
    arg = getattr(func, "jinja_pass_arg", None)
    return getattr(arg, "name", "") if arg is not None else ""


def environment_key(env: jinja2.Environment) -> str:
    """A digest of what, besides a template's source, decides its compiled code."""
    parts = [
        jinja2.__version__, sys.version, type(env).__qualname__,
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        str(env.line_statement_prefix), str(env.line_comment_prefix), repr(env.trim_blocks),
        repr(env.lstrip_blocks), env.newline_sequence, repr(env.keep_trailing_newline),
        repr(env.optimized), repr(env.is_async), repr(env.finalize is not None),
        repr(env.autoescape if isinstance(env.autoescape, bool) else "callable"),
        "extensions", *sorted(env.extensions),
        "filters", *sorted(f"{name}:{_pass_arg(func)}" for name, func in env.filters.items()),
        "tests", *sorted(f"{name}:{_pass_arg(func)}" for name, func in env.tests.items()),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def folder_for(env: jinja2.Environment, cache_root: Path) -> Path:
    return cache_root / SUBFOLDER / environment_key(env)


def default_root() -> Path | None:
    """carebase's cache folder (the vector cache's), or None when carebase's cache is off."""
    from carebase.search import vector_cache

    path = vector_cache.default_path()
    return None if path is None else path.parent


def keep_compiled(env: jinja2.Environment, cache_root: Path | None = ...) -> Path | None:
    """Give ``env`` a bytecode cache unless it has one; returns its folder (None: none given).
    Call it once the environment's filters and tests are all registered."""
    if env.bytecode_cache is not None:
        return None
    root = default_root() if cache_root is ... else cache_root
    if root is None:
        return None
    folder = folder_for(env, Path(root))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    env.bytecode_cache = _Cache(str(folder))
    return folder
