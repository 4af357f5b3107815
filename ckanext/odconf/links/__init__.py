"""Link checking: the outside links of public catalogue entries, checked in
the background (CKAN's jobs on Redis) and shown next to each link.

``sources`` says which links an entry has, ``safety`` which addresses may be
fetched, ``checker`` fetches one link, ``throttle`` spaces requests per host,
``storage`` keeps the results, ``jobs`` runs checks in a worker, ``cli`` is
``ckan odconf check-links``, ``logic``, ``views`` and ``helpers`` show them.
"""
