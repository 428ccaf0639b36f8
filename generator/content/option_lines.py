"""Where each option of the carebase plugin is written in mkdocs.yml, so that a problem with
one is named at its line: ``mkdocs.yml:14: plugins.carebase.feedback.style: expected one of
helpful, csat, ces, found 'stars'`` (the MkDocs plugin's ``on_config``, ``carebase check -f``).

The file is composed, not loaded: tags such as ``!ENV`` or ``!!python/name`` need no
constructor, and every node keeps its line."""

from __future__ import annotations

import re
from pathlib import Path

PREFIX = "plugins.carebase."


def option_lines(config_file: str | Path | None) -> dict[str, int]:
    """Each option path under the plugin's entry → its 1-based line: ``feedback`` (its key),
    ``feedback.style``, ``feedback.reasons[1]`` (the list item), ``region[0]``; {} when the file
    cannot be read or names no carebase plugin."""
    import yaml

    if not config_file:
        return {}
    try:
        text = Path(config_file).read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    plugins = _value(root, "plugins")
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins]
    for entry in entries:
        if isinstance(entry, yaml.MappingNode):
            key, options = _item(entry, "carebase")
            if key is not None:
                found: dict[str, int] = {}
                _walk(options, "", found)
                return found
    return {}


def line_of(lines: dict[str, int], field: str) -> int:
    """The line of ``field`` (``plugins.carebase.feedback.reasons[2]`` or without the prefix),
    else of the nearest option above it that is written (a key left out is named at its
    mapping's line); 0 when none is."""
    path = field[len(PREFIX):] if field.startswith(PREFIX) else field
    while path:
        if path in lines:
            return lines[path]
        path = re.sub(r"(\[\d+\]|\.[^.\[]*)$", "", path) if re.search(r"(\[\d+\]|\.[^.\[]*)$", path) else ""
    return 0


def _walk(node, path: str, found: dict[str, int]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = getattr(key, "value", None)
            if not isinstance(name, str):
                continue
            child = f"{path}.{name}" if path else name
            found.setdefault(child, key.start_mark.line + 1)
            _walk(value, child, found)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            child = f"{path}[{i}]"
            found.setdefault(child, value.start_mark.line + 1)
            _walk(value, child, found)


def _item(node, key: str):
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return k, v
    return None, None


def _value(node, key: str):
    return _item(node, key)[1]
