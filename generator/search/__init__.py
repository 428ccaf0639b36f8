"""Search over the catalogue: a Whoosh index (BM25F, stemming, synonyms, typo tolerance).

``records`` turns a Catalogue into flat search records, ``index`` writes and opens the
on-disk index, ``query.Searcher`` answers queries and finds related items. The optional
``semantic`` module adds sentence embeddings when ``carebase[semantic]`` is installed.
"""
