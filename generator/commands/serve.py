"""``carebase serve``: wraps MkDocs, so its code lives in the MkDocs adapter
(``carebase.plugins.site.serve_command``); the core never imports MkDocs."""

from carebase.plugins.site.serve_command import HELP, NAME, add_arguments, run  # noqa: F401
