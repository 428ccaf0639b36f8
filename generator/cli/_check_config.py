"""``carebase check`` reads mkdocs.yml as ``carebase build`` does, so that the CI gate fails
where the build would stop: MkDocs' own validation of the config (every option's type, an
unknown option, a plugin or theme that is not installed, an ``INHERIT`` parent that is
missing), then the carebase plugin's reading of the options it reads itself (the function
its ``on_config`` runs: carebase.plugins.site.options.read_options). Each problem is named at
its file and line, as the build names it: ``mkdocs.yml:8: plugins.carebase.feedback.style:
expected one of helpful, csat, ces, found 'stars'``, a setting written in an ``INHERIT``
parent at the parent's line."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

#: MkDocs names a plugin's option as "Plugin 'carebase' option 'related': Expected one of …"
_PLUGIN_OPTION = re.compile(r"Plugin '([^']+)' option '([^']+)': (.*)", re.S)
_PLUGIN = re.compile(r"(?:The \"|Plugin ')([^\"']+)[\"'] ")


@dataclass
class SiteConfig:
    """What ``carebase check`` takes from mkdocs.yml: the languages and file size limits the
    build uses (None: not readable, the caller reads them as before), and the problems."""

    languages: object = None
    limits: dict | None = None
    problems: list = field(default_factory=list)


def read_site_config(config_file: str) -> SiteConfig:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs import exceptions
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    from carebase.content.option_lines import config_places, inherit_problem
    from carebase.content.problems import error
    from carebase.plugins.site.adapters import shown

    broken = inherit_problem(config_file)  # MkDocs would end in a traceback
    if broken:
        place, message = broken
        return SiteConfig(problems=[error(shown(place.file), place.line, "INHERIT", message)])
    config = MkDocsConfig(config_file_path=config_file)
    try:
        with open(config_file, "rb") as handle, _installed_only():  # INHERIT merged as the build merges it
            config.load_dict(yaml_load(handle, get_yaml_loader(loader=_no_code_loader(), config=config)))
    except (exceptions.ConfigurationError, OSError, UnicodeDecodeError, ImportError) as exc:
        return SiteConfig(problems=[_unread(exc, config_file)])
    places = config_places(config_file)
    hooks = _hook_problems(config.get("hooks"), config_file, places)
    if config.get("hooks"):  # the build imports them: the check never runs the files of the site's branch
        config["hooks"] = []
    hooks += _local_extensions(config, config_file, places)  # nor the site's own Markdown extensions
    with _installed_only():
        errors, warnings = config.validate()
    problems = hooks + [_mkdocs_problem(name, str(message), config_file, places, is_error=True)
                        for name, message in errors]
    problems += [_mkdocs_problem(name, str(message), config_file, places, is_error=False)
                 for name, message in warnings]
    if errors or hooks:
        return SiteConfig(problems=problems)
    plugin = config.plugins.get("carebase") if config.plugins else None
    if plugin is None:  # a site without carebase's plugin: its content is still checked, with the defaults
        return SiteConfig(problems=problems)
    from carebase.plugins.site.options import placed, read_options

    options, found = read_options(plugin.config, config)
    return SiteConfig(options.languages, options.limits, problems + placed(found, config_file))


def _hook_problems(hooks, config_file: str, places) -> list:
    """What MkDocs' ``hooks:`` validation stops the build on, without importing a hook (the
    check runs no code of the site's branch): a list, each entry a Python file from
    mkdocs.yml's folder, as MkDocs reads it. Before, a missing hook passed the check and the
    build said only "Aborted with a configuration error!" (reader 47, R16)."""
    from carebase.content.option_lines import place_of
    from carebase.content.problems import error
    from carebase.plugins.site.adapters import shown

    if hooks is None:
        return []
    if isinstance(hooks, list):
        folder = os.path.dirname(os.path.abspath(config_file))
        said = [(f"hooks[{i}]", _hook_complaint(hook, folder)) for i, hook in enumerate(hooks)]
    else:
        said = [("hooks", f"expected a list of Python files (hooks: [hooks/links.py]), found {_what(hooks)}")]
    problems = []
    for field, message in said:
        if message:
            place = place_of(places, field)
            problems.append(error(shown(place.file) if place else config_file, place.line if place else 0, field,
                                  message))
    return problems


def _local_extensions(config, config_file: str, places) -> list:
    """Markdown extensions kept as files of mkdocs.yml's folder (``my_ext`` beside ``my_ext.py``,
    ``my_pkg.ext`` as ``my_pkg/ext.py``): ``carebase build`` and ``serve`` load them from there
    (carebase.cli._mkdocs.site_folder_on_path). The check runs no code of the site's branch, so they
    leave MkDocs' validation (which imports each) and their file is compiled instead; an error is
    named at the extension's line. Before, check called each one an error ("Failed to load
    extension") that ``python -m mkdocs build`` did not have."""
    from carebase.content.option_lines import place_of
    from carebase.content.problems import error
    from carebase.plugins.site.adapters import shown

    entries = config.get("markdown_extensions")
    if not isinstance(entries, list):
        return []
    folder = os.path.dirname(os.path.abspath(config_file))
    kept, problems = [], []
    for i, entry in enumerate(entries):
        name = entry if isinstance(entry, str) else next(iter(entry)) if isinstance(entry, dict) and len(entry) == 1 else None
        path = _local_module(folder, name) if isinstance(name, str) else None
        if path is None:
            kept.append(entry)
            continue
        said = hook_syntax(path)
        if said:
            place = place_of(places, f"markdown_extensions[{i}]")
            problems.append(error(shown(place.file) if place else config_file, place.line if place else 0,
                                  f"markdown_extensions[{i}]", said))
    config["markdown_extensions"] = kept
    return problems


def _local_module(folder: str, name: str) -> str | None:
    """The file of mkdocs.yml's folder that the build imports for extension ``name`` (``my_ext``,
    ``my_pkg.ext``, ``my_ext:MyExtension``), or None when its first part is no file or folder there."""
    from importlib.metadata import entry_points

    module = name.split(":", 1)[0].strip()
    if module in {entry.name for entry in entry_points(group="markdown.extensions")}:
        return None  # Markdown's own short names (toc, tables, …) load as installed, before any file
    parts = module.split(".")
    if not all(part.isidentifier() for part in parts) or _installed(parts[0], folder):
        return None  # an installed package of that name comes first on the build's path
    base = os.path.join(folder, *parts)
    for path in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(path):
            return path
    return None


def _installed(top: str, folder: str) -> bool:
    """Whether Python finds the top-level module ``top`` outside mkdocs.yml's folder and the working
    one (found, never imported: a top-level name's spec runs no code)."""
    import importlib.util
    import sys

    with _installed_only():
        sys.path[:] = [p for p in sys.path if os.path.realpath(p) != os.path.realpath(folder)]
        if top in sys.modules:
            return True
        return importlib.util.find_spec(top) is not None


def _hook_complaint(hook, folder: str) -> str | None:
    from importlib.util import spec_from_file_location

    from carebase.content.formats import shown_path

    if not isinstance(hook, str) or not hook.strip():
        return f"expected the path of a Python file (hooks: [hooks/links.py]), found {_what(hook)}"
    path = os.path.join(folder, hook)
    if not os.path.isfile(path):
        return f"expected a Python file, found {'a folder' if os.path.isdir(path) else 'nothing'} at {shown_path(path)}"
    if spec_from_file_location("carebase_check_hook", path) is None:  # finds its loader, imports nothing
        return f"expected a Python file (.py), found {shown_path(path)}, which Python cannot import"
    return hook_syntax(path)


def hook_syntax(path: str) -> str | None:
    """A hook that does not compile, named at its own line (compiled, never run): the build's
    import ended in a SyntaxError traceback."""
    try:
        with open(path, "rb") as handle:
            compile(handle.read(), path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return syntax_said(exc)
    except (OSError, ValueError) as exc:  # unreadable, or a NUL byte
        return f"expected a readable Python file, found {type(exc).__name__}: {exc}"
    return None


def syntax_said(exc: SyntaxError) -> str:
    from carebase.content.formats import shown_path

    where = f"{shown_path(exc.filename)}:{exc.lineno}" if exc.filename and exc.lineno else "the file"
    column = f", column {exc.offset}" if exc.offset else ""
    return f"expected Python that compiles, found a SyntaxError at {where}{column}: {exc.msg}"


def _what(value) -> str:
    return (f"the text {value!r}" if isinstance(value, str) else "a list" if isinstance(value, list)
            else "a mapping" if isinstance(value, dict) else repr(value))


def _no_code_loader():
    import yaml

    class NoCode(yaml.SafeLoader):
        """MkDocs' YAML without what runs code: ``!!python/object/apply:os.system [...]`` and
        the other ``python/object`` tags are read as nothing (the build constructs them; the check
        is the gate CI runs on a branch nobody has read yet). ``!!python/name:`` and
        ``!!python/module:`` import what they name from the installed packages only
        (``_installed_only``), as a Markdown extension's settings need (``emoji_index:
        !!python/name:material.extensions.emoji.twemoji``)."""

    def inert(loader, suffix, node):
        return None

    def found(suffix, node, attribute: bool):
        import importlib

        name, _, attr = suffix.rpartition(".") if attribute else (suffix, "", "")
        try:
            module = importlib.import_module(name or "builtins")
            return getattr(module, attr) if attribute else module
        except (ImportError, AttributeError, ValueError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"cannot find {suffix!r} ({exc})",
                                                    node.start_mark) from None

    def named(loader, suffix, node):
        return found(suffix, node, attribute=True)

    def module(loader, suffix, node):
        return found(suffix, node, attribute=False)

    NoCode.add_multi_constructor("tag:yaml.org,2002:python/object", inert)
    NoCode.add_multi_constructor("tag:yaml.org,2002:python/name:", named)
    NoCode.add_multi_constructor("tag:yaml.org,2002:python/module:", module)
    for tag in ("str", "unicode", "bytes", "int", "long", "float", "complex", "list", "tuple", "dict", "bool", "none"):
        NoCode.add_constructor(f"tag:yaml.org,2002:python/{tag}", inert)
    return NoCode


class _InstalledOnly:
    """While MkDocs validates: the working folder and the config's folder out of ``sys.path``,
    so a name in mkdocs.yml (a Markdown extension, a ``!!python/name:``) imports an installed
    package, never a file of the site's branch."""

    def __enter__(self):
        import sys

        self.saved = list(sys.path)
        here = {os.path.realpath(p) for p in ("", ".", os.getcwd())}
        sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) not in here]

    def __exit__(self, *exc):
        import sys

        sys.path[:] = self.saved


def _installed_only() -> _InstalledOnly:
    return _InstalledOnly()


def yaml_problem(exc: BaseException, config_file: str):
    """MkDocs' error for a mkdocs.yml that is not YAML as the problem check names (``mkdocs.yml:5:
    expected valid YAML, …``), for ``carebase build`` and ``serve``, which printed MkDocs' four
    lines with the place inside them; None for any other error."""
    import yaml

    if not isinstance(exc.__context__, yaml.YAMLError) or getattr(exc.__context__, "problem_mark", None) is None:
        return None
    return _unread(exc, config_file)


def yaml_error_line(exc: BaseException, config_file: str) -> str | None:
    problem = yaml_problem(exc, config_file)
    return None if problem is None else str(problem)


def _unread(exc: BaseException, config_file: str):
    """A config MkDocs cannot read, at the parser's file and line where it says one
    (``mkdocs.yml:5: expected ',' or '}', found …``)."""
    import yaml

    from carebase.content.problems import error
    from carebase.plugins.site.adapters import shown

    cause = exc.__context__ if isinstance(exc.__context__, yaml.YAMLError) else exc
    mark = getattr(cause, "problem_mark", None)
    if isinstance(cause, yaml.YAMLError) and mark is not None:
        what = " ".join(part for part in (getattr(cause, "context", None), getattr(cause, "problem", None)) if part)
        opened = getattr(cause, "context_mark", None)
        if opened is not None and any(end in (getattr(cause, "problem", None) or "")
                                      for end in ("<stream end>", "end of stream")):
            # `feedback: {style: stars` never closed: the parser stops at the file's end, a line
            # after the last; the writer's mistake is where the part opens
            where = f"column {opened.column + 1}, not closed before the end of the file"
            mark = opened
        else:
            where = f"column {mark.column + 1}"
        return error(shown(mark.name) if mark.name and os.path.isfile(mark.name) else config_file, mark.line + 1, "",
                     f"expected valid YAML, found {_sentence(what or str(cause))} ({where})")
    return error(config_file, 0, "", _sentence(str(exc)))


def _mkdocs_problem(name: str, message: str, config_file: str, places, *, is_error: bool):
    """One of MkDocs' config errors or warnings as a problem at the setting's line: MkDocs says
    ``Config value 'plugins': Plugin 'carebase' option 'related': Expected one of …``."""
    from carebase.content.option_lines import place_of
    from carebase.content.problems import error, warning
    from carebase.plugins.site.adapters import shown

    where = name
    option = _PLUGIN_OPTION.fullmatch(message.strip())
    if name == "plugins" and option:
        where, message = f"plugins.{option.group(1)}.{option.group(2)}", option.group(3)
    elif name == "plugins" and _PLUGIN.search(message):
        where = f"plugins.{_PLUGIN.search(message).group(1)}"
    place = place_of(places, where)
    file = place.file if place else config_file
    return (error if is_error else warning)(shown(file), place.line if place else 0, where, _sentence(message))


def _sentence(text: str) -> str:
    return " ".join(text.split())
