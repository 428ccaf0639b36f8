"""The build output: what ``carebase build`` writes beside the site for every later stage.

One folder (``site-data/`` beside ``site/`` by default; see ``layout.py``) holds, per content
revision, the manifest, the catalogue snapshot, the search index with the fast engine's
arrays (and the document vectors when the semantic backend is on), under a version stamp.
The service, ``carebase serve`` and the report read it through :func:`open_output`, never
the raw content; ``live.LiveOutput`` follows a rebuilt output without a restart.
"""

from carebase.output.build import open_output
from carebase.output.layout import default_folder
from carebase.output.opened import BuildOutput, OutputError

__all__ = ["BuildOutput", "OutputError", "default_folder", "open_output"]
