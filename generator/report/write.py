"""Write the rendered report files into the output folder."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("html", "md", "json", "csv")


def write_report(report: dict, out: str | Path, formats: list[str]) -> list[Path]:
    from carebase.report.render_html import render_html
    from carebase.report.render_text import render_csv, render_json, render_md

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    if "html" in formats:
        files["index.html"] = render_html(report)
    if "md" in formats:
        files["report.md"] = render_md(report)
    if "json" in formats:
        files["report.json"] = render_json(report)
    if "csv" in formats:
        files.update(render_csv(report))
    written = []
    for name, text in files.items():
        target = folder / name
        partial = target.with_name(target.name + ".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # the service never serves a half-written report
        written.append(target)
    return written
