"""The content-gap report: catalogue + stored events → a ranked, explainable backlog.

``build_report`` gathers every section (failing, missing, stale, coverage, deflection)
into one plain dict that the renderers (HTML, Markdown, JSON, CSV) turn into files.
"""
