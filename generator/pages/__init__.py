"""Core page builders for the help centre (no MkDocs import).

Everything a customer sees that carebase generates — FAQ, video, category, gallery and
home pages, breadcrumbs, related items, the contact block, JSON-LD and the extra search
records — is produced here as plain HTML strings, so it survives a change of renderer.
The MkDocs plugin (``carebase.plugins.site``) only places it.
"""
