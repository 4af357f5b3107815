"""Embedded PostgreSQL search backend for CKAN (plugin ``odconf_search``).

This sub-package imports nothing from the conference code: it could be lifted
out into a package of its own.
"""
