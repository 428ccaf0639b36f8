"""Reading content files as text: bytes that are not UTF-8 become a problem with a line."""

from __future__ import annotations

from pathlib import Path

from carebase.content.problems import Problem, error


def read_text(path: Path, rel: str) -> tuple[str | None, bytes, list[Problem]]:
    """(text with \\n line ends, raw bytes, problems); text is None when unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, b"", [error(rel, 0, "", f"expected a readable file, found {exc.strerror or exc}")]
    return _decode(data, rel)


def _decode(data: bytes, rel: str) -> tuple[str | None, bytes, list[Problem]]:
    text, problems = decode(data, rel)
    return text, data, problems


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start:exc.start + 1].hex()
        return None, [error(rel, line, "", f"expected UTF-8 text, found the byte 0x{bad} (column {column}); "
                                          "save the file as UTF-8", column)]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [error(rel, line, "", "expected text, found a NUL byte (is this a binary file?)")]
    return text, []
