"""Size limits per content file: a warning at one size, an error at a larger one.

The defaults are far above what a real help centre writes (a long article is 50 KB) and low
enough that a file made by mistake (a log pasted into an article, a generated transcript)
cannot slow every build: a file over its error limit is never read, so the item it holds is
left out. ``carebase check`` and the build use the same limits (the ``limits`` setting of the
carebase plugin in mkdocs.yml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carebase.content.problems import Problem, error, warning

KB, MB = 1024, 1024 * 1024
KINDS = {"article": "an article", "faq": "a FAQ file", "video": "a video file", "transcript": "a transcript or captions file"}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$", re.I)
_UNITS = {"B": 1, "KB": KB, "MB": MB, "GB": 1024 * MB}


@dataclass(frozen=True, slots=True)
class Limit:
    warning: int  # bytes
    error: int


DEFAULTS = {kind: Limit(1 * MB, 10 * MB) for kind in KINDS}


def parse_size(value) -> int | None:
    """Bytes from 2048, "512 KB", "10 MB"; None when it is not a size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    match = _SIZE.match(str(value))
    if not match:
        return None
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "B").upper()])


def show(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.2f}".rstrip("0").rstrip(".") + " MB"
    if size >= KB:
        return f"{size / KB:.0f} KB"
    return f"{size} bytes"


def read_limits(raw: dict | None) -> tuple[dict[str, Limit], list[str]]:
    """Limits from the plugin setting ``limits: {article: {warning: 1 MB, error: 10 MB}, …}``
    (anything left out keeps its default), and what is wrong with the setting."""
    limits, complaints = dict(DEFAULTS), []
    for kind, given in (raw or {}).items():
        if kind not in KINDS:
            complaints.append(f"limits.{kind}: expected one of {', '.join(KINDS)}, found {kind!r}")
            continue
        if not isinstance(given, dict):
            complaints.append(f"limits.{kind}: expected {{warning: SIZE, error: SIZE}}, found {given!r}")
            continue
        sizes = {}
        for level in ("warning", "error"):
            value = given.get(level, getattr(DEFAULTS[kind], level))
            size = parse_size(value)
            if size is None:
                complaints.append(f"limits.{kind}.{level}: expected a size like 512 KB or 10 MB, found {value!r}")
                size = getattr(DEFAULTS[kind], level)
            sizes[level] = size
        if sizes["warning"] > sizes["error"] and "warning" in given:
            complaints.append(f"limits.{kind}: expected warning ≤ error, found {show(sizes['warning'])} > "
                              f"{show(sizes['error'])}")
        limits[kind] = Limit(min(sizes["warning"], sizes["error"]), sizes["error"])
    return limits, complaints


def size_problem(rel: str, kind: str, size: int, limits: dict[str, Limit]) -> Problem | None:
    """The problem with a file of ``size`` bytes, or None; over the error limit, it is not read."""
    limit = limits.get(kind, DEFAULTS[kind])
    if size > limit.error:
        return error(rel, 0, "size", f"expected ≤ {show(limit.error)} ({KINDS[kind]}; limits.{kind}.error), "
                                     f"found {show(size)}; the file is not read: split it or make it smaller")
    if size > limit.warning:
        return warning(rel, 0, "size", f"expected ≤ {show(limit.warning)} ({KINDS[kind]}; limits.{kind}.warning), "
                                       f"found {show(size)}; builds slow down with very large files")
    return None


def plugin_settings(path) -> tuple[dict, dict, list[str]]:
    """(the carebase plugin's settings, the whole config, complaints) from a mkdocs.yml; empty
    when the file or the plugin is absent. Tags MkDocs resolves itself (``!ENV``,
    ``!!python/name:``) are read as nothing: only plain settings matter here."""
    import yaml

    class _Tolerant(yaml.SafeLoader):
        pass

    _Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    _Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    try:
        with open(path, encoding="utf-8") as handle:
            config = yaml.load(handle, Loader=_Tolerant)  # noqa: S506 - a SafeLoader subclass
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return {}, {}, [f"{path}: expected a readable mkdocs.yml, found {type(exc).__name__}"]
    config = config if isinstance(config, dict) else {}
    plugins = config.get("plugins")
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("carebase"), dict):
            return entry["carebase"], config, []
    return {}, config, []


def limits_from_config(path) -> tuple[dict[str, Limit], list[str]]:
    """The carebase plugin's ``limits`` in a mkdocs.yml (defaults when the file, the plugin or
    the setting is absent)."""
    settings, _, complaints = plugin_settings(path)
    if complaints:
        return dict(DEFAULTS), complaints
    return read_limits(settings.get("limits"))
