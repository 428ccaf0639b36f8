"""Learned phrasings: which customer wordings lead to which item, learned from journeys.

``journeys.py`` reads the evidence from the event store (a search followed, in the same
journey, by a result click nobody regretted or a "Yes" vote); ``ties.py`` turns it into
words and short phrases tied to items, kept only when enough distinct journeys *and*
distinct clients support them; ``nearest.py`` ranks by the nearest logged wordings;
``blocks.py`` holds what a lead blocked; ``model.py`` puts it together as one snapshot the
search API reads (``refresh.py`` keeps it fresh inside the service). Nothing here is ever
written into the static site.
"""
