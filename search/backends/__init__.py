"""Search backends: one interface (:class:`~search.backends.base.SearchBackend`), two engines.

``embedded`` (tantivy, an index on disk, no server) is the default and is always kept up to
date; ``elasticsearch`` is used for queries when ``ELASTICSEARCH_URL`` is set, with the
embedded index as the fallback when the cluster cannot be reached.
"""
