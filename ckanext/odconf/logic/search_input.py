"""Search requests checked before they reach the search backend.

``package_search`` chained: malformed parameters any client can send answer a
``ValidationError`` instead of an error deep inside CKAN.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchQueryError
from ckan.types import Action, Context, DataDict

from ckanext.odconf.logic import schema


class InvalidSearchParameters(tk.ValidationError, SearchQueryError):
    """Malformed search parameters: a ``ValidationError`` for the action API
    (HTTP 409 naming each parameter) and a ``SearchQueryError`` for the pages
    that search on a visitor's behalf (``/dataset``, organisation and group
    pages catch those and answer 400 instead of failing)."""

    def __str__(self) -> str:
        return "; ".join(
            f"{name}: {' '.join(map(str, messages))}" for name, messages in self.error_dict.items()
        )


@tk.chained_action
@tk.side_effect_free
def package_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``package_search``, after its parameters are checked.

    The parameters and the result are CKAN's (see its ``package_search``);
    this step only refuses what CKAN would fail on: text parameters (``q``,
    ``fq``, ``sort``, ``qf``...) that are not text (numbers pass: CKAN reads
    them as text), booleans
    (``include_private``, ``include_drafts``, ``include_deleted``,
    ``use_default_schema``) that are not booleans, ``rows``, ``start``,
    ``facet.mincount`` and ``facet.limit`` that are not whole numbers within
    Solr's integer range, ``fl`` not a string or list of strings,
    ``facet.field`` and ``fq_list`` not lists of strings, a null Solr
    parameter CKAN would hand on (``defType``, ``mm``...), and any text, in
    any parameter, that cannot be searched (a NUL character, an unpaired
    surrogate, over 100,000 characters). A valid request is passed on
    unchanged.

    :param data_dict: the parameters of CKAN's ``package_search``
    :type data_dict: dict
    :returns: what CKAN's ``package_search`` returns
    :rtype: dict
    :raises ValidationError: (also a ``SearchQueryError``) naming each
        refused parameter
    """
    try:
        schema.validate(data_dict, schema.package_search_schema(), context)
    except tk.ValidationError as error:
        raise InvalidSearchParameters(error.error_dict) from error
    return up_func(context, data_dict)


def get_actions() -> dict[str, Any]:
    """Chained actions registered by the plugin (IActions)."""
    return {"package_search": package_search}
