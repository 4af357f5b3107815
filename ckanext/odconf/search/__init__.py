"""Embedded PostgreSQL search backend for CKAN (plugin ``odconf_search``).

This sub-package imports nothing from the conference code, only the Khmer
text analysis next to it (``ckanext.odconf.khmer``): the two could be lifted
out into a package of their own.
"""
