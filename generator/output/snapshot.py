"""The catalogue snapshot: a :class:`~carebase.content.model.Catalogue` as JSON and back.

Every dataclass of the content model is written as an object of its fields (tuples as
lists, sets as sorted lists, dates as ISO strings, the problems' severity as its value) and read back into the
same types, so ``read(write(c)) == c``. Written once per content revision into the build
output (``catalogue.json``); the report and the service read it instead of loading the
content again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from functools import cache

from carebase.content.model import Catalogue

#: The snapshot's format (``carebase.output.formats``): raised when a snapshot written before cannot
#: be read into today's content model (a field without a default added, one removed or retyped).
FORMAT = 1


def to_data(value):
    """JSON-ready data for a catalogue or any value inside it."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not f.name.startswith("_")}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(to_data(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _from(kind, data):
    return _converter(kind)(data)


def _same(data):
    return data


@cache
def _converter(kind):
    """The function that reads JSON data of type ``kind`` (None stays None), made once per type:
    a dataclass's fields' types are looked at once, not for every object read."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return _converter(options[0]) if len(options) == 1 else _same
    if origin is tuple:
        inner = _converter(typing.get_args(kind)[0])
        if inner is _same:
            return lambda data: None if data is None else tuple(data)
        return lambda data: None if data is None else tuple([inner(v) for v in data])
    if origin in (frozenset, set):
        inner = _converter(typing.get_args(kind)[0])
        return lambda data: None if data is None else origin(inner(v) for v in data)
    if dataclasses.is_dataclass(kind):
        fields: dict = {}  # name → its converter, on first use (a type may hold itself)

        def read(data):
            if data is None:
                return None
            if not fields:
                fields.update((name, _converter(hint)) for name, hint in _hints(kind).items())
            return kind(**{name: fields[name](v) for name, v in data.items()})
        return read
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return lambda data: None if data is None else kind(data)
    if kind is dt.date:
        return lambda data: None if data is None else dt.date.fromisoformat(data)
    if kind is float:
        return lambda data: None if data is None else float(data)
    return _same


def from_data(data: dict) -> Catalogue:
    return _from(Catalogue, data)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


#: The items whose JSON the last ``dumps`` of a content root wrote: (root, language) →
#: id(item) → (item, its JSON). Items are immutable, and a save in ``carebase serve`` makes a
#: catalogue that holds the same item objects except the saved ones: their JSON is reused.
_written: dict[tuple[str, str], dict[int, tuple[object, str]]] = {}
_ITEMS = ("articles", "faqs", "videos")


def dumps(catalogue: Catalogue) -> str:
    """The catalogue as compact JSON: ``json.dumps(to_data(catalogue))``, each item's part
    reused from the last call for the same content root while the item is the same object."""
    key = (str(catalogue.root), catalogue.language)
    before = _written.get(key, {})
    now: dict[int, tuple[object, str]] = {}
    parts = []
    for f in dataclasses.fields(catalogue):
        if f.name.startswith("_"):
            continue
        value = getattr(catalogue, f.name)
        if f.name in _ITEMS:
            texts = []
            for item in value:
                found = before.get(id(item))
                text = found[1] if found is not None and found[0] is item else _json(to_data(item))
                now[id(item)] = (item, text)
                texts.append(text)
            parts.append(f"{_json(f.name)}:[{','.join(texts)}]")
        else:
            parts.append(f"{_json(f.name)}:{_json(to_data(value))}")
    _written[key] = now
    return "{" + ",".join(parts) + "}"


def loads(text: str) -> Catalogue:
    return from_data(json.loads(text))
