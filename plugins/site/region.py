"""The plugin's ``region`` option (the help centre's countries, for the service's PII masker):
read, and refused with the file, line and field when it names no country."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from carebase.service.masking_region import read_region


def site_region(raw, config_file: str | None) -> tuple[str, ...]:
    """The codes of ``plugins: - carebase: {region: …}``; PluginError on a bad one: a region
    that silently names no country would leave its customers' phone numbers readable."""
    codes, complaints = read_region(raw)
    if complaints:
        lines = _lines(config_file)
        where = _shown(config_file) if config_file else "mkdocs.yml"
        raise PluginError("\n".join(
            f"carebase: {where}{_at(lines.get(complaint.split(':', 1)[0], lines.get('region')))}: plugins.carebase.{complaint}"
            for complaint in complaints))
    return codes


def _at(line: int | None) -> str:
    return f":{line}" if line else ""


def _shown(path: str) -> str:
    """The file as the writer knows it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _lines(config_file: str | None) -> dict[str, int]:
    """``region`` and ``region[i]`` → their line in mkdocs.yml (composed, so tags such as
    ``!ENV`` or ``!!python/name`` need no constructor); {} when it cannot be read."""
    import yaml

    try:
        root = yaml.compose(Path(config_file).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, TypeError, yaml.YAMLError):
        return {}
    plugins = _value(root, "plugins")
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else []
    if isinstance(plugins, yaml.MappingNode):
        entries = [plugins]
    for entry in entries:
        options = _value(entry, "carebase") if isinstance(entry, yaml.MappingNode) else None
        region_key, region = _item(options, "region")
        if region_key is None:
            continue
        found = {"region": region_key.start_mark.line + 1}
        if isinstance(region, yaml.SequenceNode):
            found.update({f"region[{i}]": node.start_mark.line + 1 for i, node in enumerate(region.value)})
        return found
    return {}


def _item(node, key: str):
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return k, v
    return None, None


def _value(node, key: str):
    return _item(node, key)[1]
