"""The plugin's ``region`` option (the help centre's countries, for the service's PII masker):
read, and refused with the file, line and field when it names no country."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from carebase.content.option_lines import option_lines
from carebase.service.masking_region import read_region


def site_region(raw, config_file: str | None) -> tuple[str, ...]:
    """The codes of ``plugins: - carebase: {region: …}``; PluginError on a bad one: a region
    that silently names no country would leave its customers' phone numbers readable."""
    codes, complaints = read_region(raw)
    if complaints:
        lines = option_lines(config_file)
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
