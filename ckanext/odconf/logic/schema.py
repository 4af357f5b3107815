"""Schemas of the request parameters the catalogue's actions accept.

What any client can send (a JSON body or a query string) is checked here
before it reaches SQL or the search backend: a wrong JSON type, a number out
of range, or text that cannot be stored or searched (NUL, an unpaired
surrogate, see :func:`values.text_problem`) answers a ``ValidationError``
that names the parameter, never an error deep inside. The messages never
repeat the input, so an error stays small whatever was sent.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan.common import asbool
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Schema, Validator

from ckanext.odconf.logic.entry_input import text_errors
from ckanext.odconf.logic.values import not_text

#: Solr's integer range: the largest rows, start or facet value stock CKAN's
#: own search server accepts.
INT32_MAX = 2**31 - 1


def odconf_if_given(key: FlattenKey, data: FlattenDataDict,
                    errors: FlattenErrorDict, context: Context) -> None:
    """Skip the rest of the field's validators when it is absent; unlike
    ``ignore_missing``, a null value is still checked."""
    if data.get(key) is tk.missing:
        data.pop(key, None)
        raise tk.StopOnError


def odconf_default(default_value: Any) -> Validator:
    """``default_value`` when the parameter is absent or null; unlike CKAN's
    ``default``, an empty string is not taken for absent (and is refused by a
    number's validator)."""

    def validator(key: FlattenKey, data: FlattenDataDict,
                  errors: FlattenErrorDict, context: Context) -> None:
        value = data.get(key)
        if value is tk.missing or value is None:
            data[key] = default_value

    return validator


def odconf_search_parameter(value: Any, context: Context) -> Any:
    """A Solr parameter that CKAN hands on as given: text or a number, not null."""
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise tk.Invalid(not_text(value))
    return value


def odconf_texts(value: Any, context: Context) -> Any:
    """A list of texts (a single text is refused: it is not a list)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise tk.Invalid(tk._("Expected a list of texts"))
    return value


def odconf_json_texts(value: Any, context: Context) -> Any:
    """A list of texts, given as such or as its JSON text (as in a query string)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):  # a list of texts is never deep
            raise tk.Invalid(tk._("Expected a list of texts"))
    return odconf_texts(value, context)


def odconf_boolean(value: Any, context: Context) -> Any:
    """``true`` or ``false``: a JSON boolean, 0 or 1, or the words CKAN reads
    as booleans (``true``/``false``, ``yes``/``no``, ``on``/``off``, ``1``/``0``...)."""
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return value
    if isinstance(value, str):
        try:
            asbool(value)
            return value
        except ValueError:
            pass
    raise tk.Invalid(tk._("Expected true or false"))


def odconf_mapping(value: Any, context: Context) -> Any:
    """A JSON object (mapping)."""
    if not isinstance(value, dict):
        raise tk.Invalid(tk._("Expected a mapping"))
    return value


def odconf_whole_number(minimum: int, maximum: int = INT32_MAX) -> Validator:
    """A whole number from ``minimum`` to ``maximum``, given as a number or as
    its digits; booleans and empty strings are refused."""

    def validator(value: Any, context: Context) -> Any:
        number: Optional[int] = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            try:
                number = int(value)
            except ValueError:  # more digits than Python converts
                pass
        if number is None:
            raise tk.Invalid(tk._("Must be a whole number"))
        if not minimum <= number <= maximum:
            raise tk.Invalid(tk._("Must be a whole number from {minimum} to {maximum}").format(
                minimum=minimum, maximum=maximum))
        return number

    return validator


def listed_mappings(data_dict: dict[str, Any]) -> dict[str, list[str]]:
    """Errors for parameters given as lists of mappings.

    No parameter of these actions takes one, and CKAN's validation would
    flatten it recursively, so such values are refused before validation.
    """
    return {
        name: [tk._("A list of mappings is not accepted here")]
        for name, value in data_dict.items()
        if isinstance(value, list) and value and isinstance(value[0], dict)
    }


def validate(data_dict: dict[str, Any], schema: Schema, context: Context) -> dict[str, Any]:
    """``data_dict`` validated against ``schema``, after every text in it
    (nested ones included) is checked with :func:`entry_input.text_errors`.

    :raises ValidationError: naming each refused parameter
    """
    refused = {**text_errors(data_dict), **listed_mappings(data_dict)}
    data, errors = tk.navl_validate(
        {name: value for name, value in data_dict.items() if name not in refused}, schema, context)
    errors.update(refused)  # rather than "Missing value" for what was left out
    if errors:
        raise tk.ValidationError(errors)
    return data


@tk.validator_args
def package_search_schema(ignore_missing: Validator, odconf_text: Validator,
                          odconf_text_list: Validator) -> Schema:
    """The parameters of ``package_search`` any client can send (checked, not converted)."""
    text = [ignore_missing, odconf_text]
    # CKAN's own schema does not drop a null Solr parameter: it would reach the search
    solr_text = [odconf_if_given, odconf_search_parameter]
    boolean = [ignore_missing, odconf_boolean]
    return {
        **{name: text for name in ("q", "fq", "sort", "qf", "facet")},
        **{name: solr_text for name in ("wt", "bf", "boost", "tie", "defType", "mm", "df")},
        **{name: boolean for name in ("include_private", "include_drafts",
                                      "include_deleted", "use_default_schema")},
        "rows": [ignore_missing, odconf_whole_number(0)],
        "start": [ignore_missing, odconf_whole_number(0)],
        "facet.mincount": [ignore_missing, odconf_whole_number(0)],
        "facet.limit": [ignore_missing, odconf_whole_number(-INT32_MAX)],
        "facet.field": [ignore_missing, odconf_json_texts],
        "fl": [ignore_missing, odconf_text_list],
        # a null fq_list is checked too: CKAN would extend the filters with it
        "fq_list": [odconf_if_given, odconf_texts],
        "extras": [ignore_missing, odconf_mapping],
    }


#: ``rows`` (default 20; ``package_search`` caps it at the site's maximum) and ``start``.
PAGING: Schema = {
    "rows": [odconf_default(20), odconf_whole_number(0)],
    "start": [odconf_default(0), odconf_whole_number(0)],
}


@tk.validator_args
def id_schema(not_empty: Validator, odconf_text: Validator) -> Schema:
    """Actions given one object by ``id`` (name or id): ``odconf_conference_show``
    (an edition), ``odconf_broken_links_list`` (an organisation)."""
    return {"id": [not_empty, odconf_text]}


@tk.validator_args
def theme_show_schema(not_empty: Validator, odconf_text: Validator) -> Schema:
    """``odconf_theme_show``: ``conference``, ``theme``, ``rows``, ``start``."""
    return {"conference": [not_empty, odconf_text], "theme": [not_empty, odconf_text], **PAGING}


@tk.validator_args
def referencing_datasets_schema(not_empty: Validator, odconf_text: Validator) -> Schema:
    """``odconf_referencing_datasets``: the reference's ``id``, ``rows``, ``start``."""
    return {"id": [not_empty, odconf_text], **PAGING}


def translation_queue_schema(languages: list[str]) -> Schema:
    """``odconf_translation_queue``: the edition's ``id``, a ``language`` among
    ``languages``, ``rows``, ``start``."""
    validator = tk.get_validator
    text = [validator("odconf_text")]
    return {"id": [validator("not_empty"), *text],
            "language": [validator("ignore_missing"), *text, validator("one_of")(languages)],
            **PAGING}
