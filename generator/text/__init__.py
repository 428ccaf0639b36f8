"""One text analyser for search, the gap report and the client index (see analyser.py)."""

from carebase.text.analyser import LANGUAGES, Analyser, analyser_for
from carebase.text.synonyms import SynonymGroups

__all__ = ["LANGUAGES", "Analyser", "SynonymGroups", "analyser_for"]
