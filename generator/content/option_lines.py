"""Where each setting of mkdocs.yml is written, so that a problem with one is named at its
file and line: ``mkdocs.yml:14: plugins.carebase.feedback.style: expected one of helpful,
csat, ces, found 'stars'`` (the MkDocs plugin's ``on_config``, ``carebase check``).

A config that shares another with ``INHERIT: base.yml`` (MkDocs' way to share settings, e.g.
one file per language) is merged as MkDocs merges it (``mkdocs.utils.yaml.yaml_load``: the
parent first, the child on top; two mappings merged key by key, anything else the child's
whole), so a setting written only in the parent is named at the parent's file and line:
``base.yml:9: plugins.carebase.feedback.style: …``.

The files are composed, not loaded: tags such as ``!ENV`` or ``!!python/name`` need no
constructor, and every node keeps its line."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

PREFIX = "plugins.carebase."
#: where a setting is written is looked for in at most this many files of an INHERIT chain
#: (a longer one still builds; its deeper settings are named at the config's own file)
MAX_INHERIT = 200


class Place(NamedTuple):
    file: str  # the config file as it was named (a parent: joined to its child's folder)
    line: int  # 1-based


def config_places(config_file: str | Path | None) -> dict[str, Place]:
    """Each setting's path → where it is written: ``site_name``, ``theme.name``, a plugin's
    entry ``plugins.search`` and its options ``plugins.carebase.feedback.style``,
    ``plugins.carebase.feedback.reasons[1]`` (the list item), ``plugins.carebase.region[0]``
    (list or mapping form of ``plugins`` alike); {} when the file cannot be read."""
    if not config_file:
        return {}
    merged = _located(os.fspath(config_file), set())
    found: dict[str, Place] = {}
    walked: set[int] = set()  # contents placed already (an alias shares its anchor's)
    if merged is not None and isinstance(merged.value, dict):
        for key, node in merged.value.items():
            if key == "plugins":
                found[key] = node.place
                _plugins(node, found, walked)
            else:
                _walk(node, key, found, walked)
    return found


def inherit_problem(config_file: str | Path) -> tuple[Place, str] | None:
    """What keeps MkDocs from following a config's ``INHERIT`` chain, and where: an ``INHERIT``
    that names no file (``INHERIT: [base.yml]``, a missing file, a folder), or a chain that comes back to one of its files
    (``mkdocs.yml`` → ``base.yml`` → ``mkdocs.yml``); None when the chain ends. MkDocs itself
    stops on either with a traceback (a TypeError; a RecursionError)."""
    import yaml

    from carebase.content.formats import shown_path

    chain, seen, path = [os.fspath(config_file)], set(), os.fspath(config_file)
    while True:  # each step reads another file (a repeated one ends it): the chain ends
        seen.add(os.path.realpath(path))
        try:
            root = yaml.compose(Path(path).read_text(encoding="utf-8"),
                                Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, ValueError, yaml.YAMLError):
            return None  # MkDocs names an unreadable or missing file itself
        node = _convert(root, path, 1)
        parent = node.value.get("INHERIT") if node is not None and isinstance(node.value, dict) else None
        if parent is None:
            return None
        name = parent.scalar
        if not isinstance(name, str) or not name.strip() or parent.value is not None:
            found = "a list" if isinstance(parent.value, list) else "a mapping" if isinstance(parent.value, dict) \
                else "nothing"
            return parent.place, f"expected the file name of a parent config (INHERIT: base.yml), found {found}"
        path = os.path.normpath(os.path.join(os.path.dirname(path), name))
        if not os.path.isfile(path):
            what = "a folder" if os.path.isdir(path) else "nothing"
            return parent.place, f"expected a parent config file, found {what} at {shown_path(path)}"
        chain.append(path)
        if os.path.realpath(path) in seen:
            return parent.place, (f"expected a chain of parent configs that ends, found one that comes back: "
                                  f"{' → '.join(shown_path(f) for f in chain)}; remove the INHERIT that closes it")


def option_lines(config_file: str | Path | None) -> dict[str, int]:
    """The carebase plugin's options → their lines (``feedback.style``, ``region[0]``), in
    whichever file of an INHERIT chain each is written (``config_places`` has the file)."""
    return {path[len(PREFIX):]: place.line for path, place in config_places(config_file).items()
            if path.startswith(PREFIX)}


_LAST_PART = re.compile(r"(\[\d+\]|\.[^.\[]*)$")


def place_of(places: dict[str, Place], field: str) -> Place | None:
    """Where ``field`` (``plugins.carebase.feedback.reasons[2]``, ``theme.name``) is written,
    else the nearest setting above it that is (a key left out is named at its mapping's
    line); None when none is."""
    path = field
    while path:
        if path in places:
            return places[path]
        path = _LAST_PART.sub("", path) if _LAST_PART.search(path) else ""
    return None


def line_of(lines: dict[str, int], field: str) -> int:
    """The line of ``field`` in ``option_lines``' map (``plugins.carebase.feedback.reasons[2]``
    or without the prefix), else of the nearest option above it that is written; 0 when none is."""
    path = field[len(PREFIX):] if field.startswith(PREFIX) else field
    while path:
        if path in lines:
            return lines[path]
        path = _LAST_PART.sub("", path) if _LAST_PART.search(path) else ""
    return 0


class _Node(NamedTuple):
    place: Place  # where the key (or the list item) is written
    value: object  # dict[str, _Node] | list[_Node] | None (a scalar)
    scalar: object = None  # a scalar's text


def _located(path: str, seen: set[str]) -> _Node | None:
    """The file's settings as nested _Nodes, its INHERIT parent merged under it."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, ValueError, yaml.YAMLError):
        return None
    node = _convert(root, path, 1)
    if node is None or not isinstance(node.value, dict):
        return node
    parent = node.value.pop("INHERIT", None)
    name = getattr(parent, "scalar", None)
    seen = seen | {os.path.realpath(path)}
    if isinstance(name, str) and name and len(seen) <= MAX_INHERIT:
        parent_path = os.path.normpath(os.path.join(os.path.dirname(path), name))
        if os.path.realpath(parent_path) not in seen:
            inherited = _located(parent_path, seen)
            if inherited is not None and isinstance(inherited.value, dict):
                return _merge(inherited, node)
    return node


def _convert(node, file: str, line: int, shared: dict | None = None):
    """``node`` (composed) as _Nodes. A YAML alias is the node of its anchor again: its
    contents are converted once and shared (``shared``: id(node) → them), so nested aliases
    (``a2: [*a1, *a1, …]``) cost their lines, not the 10^n settings they stand for."""
    import yaml

    place = Place(file, line)
    shared = {} if shared is None else shared
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        done = shared.get(id(node))
        if done is not None:
            return _Node(place, done)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        shared[id(node)] = out
        for key, value in node.value:
            name = getattr(key, "value", None)
            if isinstance(name, str) and name not in out:
                out[name] = _convert(value, file, key.start_mark.line + 1, shared)
        return _Node(place, out)
    if isinstance(node, yaml.SequenceNode):
        items: list = []
        shared[id(node)] = items
        items += [_convert(v, file, v.start_mark.line + 1, shared) for v in node.value]
        return _Node(place, items)
    if isinstance(node, yaml.ScalarNode):
        return _Node(place, None, node.value)
    return _Node(place, None)


def _merge(parent: _Node, child: _Node) -> _Node:
    """mergedeep's REPLACE strategy, as MkDocs merges INHERIT: mappings key by key (the
    child's key where both have it), anything else the child's whole."""
    out = dict(parent.value)
    for key, node in child.value.items():
        before = out.get(key)
        if isinstance(before, _Node) and isinstance(before.value, dict) and isinstance(node, _Node) \
                and isinstance(node.value, dict):
            out[key] = _merge(before, node)._replace(place=node.place)
        else:
            out[key] = node
    return _Node(child.place, out)


def _plugins(node: _Node, found: dict[str, Place], walked: set[int]) -> None:
    """``plugins:`` as a list (``- search``, ``- carebase: {…}``) or as a mapping."""
    if isinstance(node.value, dict):
        items = list(node.value.items())
    else:
        items = []
        for entry in node.value or []:
            if isinstance(entry.value, dict):
                items += entry.value.items()
            elif isinstance(entry.scalar, str):
                found.setdefault(f"plugins.{entry.scalar}", entry.place)
    for name, options in items:
        found.setdefault(f"plugins.{name}", options.place)
        _walk_inside(options, f"plugins.{name}", found, walked)


def _walk(node, path: str, found: dict[str, Place], walked: set[int] | None = None) -> None:
    found.setdefault(path, node.place)
    _walk_inside(node, path, found, walked)


def _walk_inside(node, path: str, found: dict[str, Place], walked: set[int] | None = None) -> None:
    """The settings inside ``node``; contents met before (a YAML alias of a part already
    walked) are placed at the alias alone: what is inside is named at its anchor's lines."""
    walked = set() if walked is None else walked
    if isinstance(node.value, (dict, list)):
        if id(node.value) in walked:
            return
        walked.add(id(node.value))
    if isinstance(node.value, dict):
        for key, value in node.value.items():
            _walk(value, f"{path}.{key}", found, walked)
    elif isinstance(node.value, list):
        for i, value in enumerate(node.value):
            _walk(value, f"{path}[{i}]", found, walked)
