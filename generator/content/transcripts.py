"""Times ("4:30", "1:02:03", seconds) and transcript/caption files (.vtt/.srt, via webvtt-py)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from yaml.nodes import Node, ScalarNode

from carebase.content.model import Cue
from carebase.content.problems import Problem, error
from carebase.content.sourcefile import decode
from carebase.content.yamlnodes import FLOAT, INT, STR

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
_TIME_START = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{1,2}[.,]\d")
_TIMING = re.compile(r"^\s*((?:\d+:)?\d{2}:\d{2}[.,]\d{3})\s+-->\s+((?:\d+:)?\d{2}:\d{2}[.,]\d{3})(?:\s.*)?$")


def parse_time(node: Node | None) -> float | None:
    """Seconds from '4:30', '1:02:03', '90' or 90.5; None when it is not a time."""
    if not isinstance(node, ScalarNode) or node.tag not in (STR, INT, FLOAT):
        return None
    return time_text(node.value)


def time_text(text: str) -> float | None:
    text = text.strip()
    match = _CLOCK.match(text)
    if match:
        hours, minutes, seconds = match.groups()
        if float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            return None
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        return None
    return value if value >= 0 and value == value and value != float("inf") else None


def clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def read_cue_file(path: Path, rel: str) -> tuple[tuple[Cue, ...], list[Problem]]:
    """Cues of a .vtt or .srt file; problems name that file and the offending line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return (), [error(rel, 0, "", f"expected a readable file, found {exc.strerror or exc}")]
    text, problems = decode(data, rel)
    if text is None:
        return (), problems
    srt = rel.lower().endswith(".srt")
    problems = _check_timings(text, rel)
    if problems:
        return (), problems
    try:
        if srt:
            parsed = webvtt.WebVTT.from_buffer(io.StringIO(text), format="srt")
        else:
            parsed = webvtt.WebVTT.from_string(text, strict=True)
    except MalformedCaptionError as exc:
        return (), [error(rel, _line_of(text, exc), "", f"expected a valid cue, found {_short(exc)}")]
    except (MalformedFileError, ValueError, IndexError) as exc:
        head = "a 'WEBVTT' header and cues" if not srt else "numbered SRT cues"
        return (), [error(rel, 1, "", f"expected {head}, found {_short(exc) or 'something else'}")]
    cues = []
    for caption in parsed.captions:
        start = time_text(caption.start.replace(",", ".")) or 0.0  # checked above
        end = time_text(caption.end.replace(",", ".")) or 0.0
        cues.append(Cue(start, end, " ".join(caption.text.split())))
    if not cues:
        head = "WEBVTT header" if not srt else "SRT numbering"
        return (), [error(rel, 1, "", f"expected at least one cue ('00:00:01.000 --> 00:00:04.000' after the {head}), found none")]
    return tuple(cues), []


def _check_timings(text: str, rel: str) -> list[Problem]:
    """Every timing line ('-->') must parse and end after it starts; earlier than webvtt-py, with lines."""
    problems = []
    previous = 0.0
    for n, line in enumerate(text.split("\n"), 1):
        if "-->" not in line:
            if _TIME_START.match(line):
                problems.append(error(rel, n, "", f"expected a cue timing like '00:00:01.000 --> 00:00:04.000', found {line.strip()[:60]!r}"))
            continue
        match = _TIMING.match(line)
        if not match:
            problems.append(error(rel, n, "", f"expected a cue timing like '00:00:01.000 --> 00:00:04.000', found {line.strip()[:60]!r}"))
            continue
        start, end = (time_text(t.replace(",", ".")) for t in match.groups())
        if start is None or end is None:
            problems.append(error(rel, n, "", f"expected valid times (minutes and seconds below 60), found {line.strip()[:60]!r}"))
        elif end < start:
            problems.append(error(rel, n, "", f"expected the cue to end after it starts, found {line.strip()[:60]!r}"))
        elif start < previous:
            problems.append(error(rel, n, "", f"expected cues in time order (the previous one starts at "
                                              f"{clock(previous)}), found one starting at {clock(start)}"))
        else:
            previous = start
    return problems


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else ""


def _line_of(text: str, exc: BaseException) -> int:
    message = str(exc)
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip() and line.strip() in message:
            return n
    return 1
