"""Catalogue entries checked before they are written.

``package_create``, ``package_update``, ``resource_create`` and
``resource_update`` are chained: input CKAN core would take to the database
and fail on there (a 500, possibly after a file was stored) answers a
``ValidationError`` naming the field before anything is written. The fields
of this extension are checked by their own validators (``schemas/*.yaml``);
this module covers what every entry shares:

- any text anywhere in the request: no NUL, no unpaired surrogate, bounded
  length, no nesting beyond :data:`yaml_format.MAX_DEPTH`;
- CKAN core's fields of the right type (``private=2`` or a resource ``format``
  given as a mapping reach Python code that fails), texts kept in a btree
  index bounded in bytes;
- only registered dataset types (a dataset of an unknown type breaks
  ``/dataset`` for everyone while it exists).

One more guard lives here because it concerns the same writes:
:func:`after_dataset_update`, which keeps the search index's
``metadata_modified`` equal to the database's. Requests CKAN cannot even parse
are refused earlier, in :mod:`ckanext.odconf.request_guards`.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from sqlalchemy.orm.attributes import flag_modified

from ckanext.odconf.programme import format as yaml_format
from ckanext.odconf.logic.values import format_path, shown
from ckanext.odconf.logic.values import MAX_INDEXED_BYTES, not_text, text_problem

Errors = dict[str, Any]

#: CKAN core's fields of a dataset that must be texts when given.
PACKAGE_TEXTS = (
    "id", "name", "title", "notes", "url", "version", "author", "author_email",
    "maintainer", "maintainer_email", "license_id", "owner_org", "state", "type",
    "tag_string",
)
#: CKAN core's fields of a resource that must be texts when given.
RESOURCE_TEXTS = (
    "id", "package_id", "url", "name", "description", "format", "mimetype",
    "mimetype_inner", "hash", "resource_type", "url_type", "state",
)
#: Fields of a dataset or a resource stored in columns with a btree index.
INDEXED = ("id", "name", "title", "url")
#: CKAN core's fields holding a list of mappings, and the texts of each mapping.
MAPPING_LISTS = {
    "resources": RESOURCE_TEXTS,
    "tags": ("id", "name", "vocabulary_id"),
    "extras": ("key", "value"),
    "groups": ("id", "name"),
}
#: Where CKAN expects the errors of a list field inside a mapping (its
#: ValidationError and error summary index them so).
ERROR_KEY = {"tags": "name", "extras": "key"}
#: Strings CKAN's ``boolean_validator`` reads; any other type fails in it.
BOOLEANS = ("private",)


def _walk(value: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every value nested in ``value`` with its path, without recursion, and
    stopping below :data:`yaml_format.MAX_DEPTH` (reported as a path that deep)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        yield path, item
        if len(path) >= yaml_format.MAX_DEPTH:
            continue
        if isinstance(item, dict):
            stack.extend((path + (key,), child) for key, child in item.items())
            stack.extend((path + (key,), key) for key in item if isinstance(key, str))
        elif isinstance(item, list):
            stack.extend((path + (index,), child) for index, child in enumerate(item))


def text_errors(data_dict: dict[str, Any]) -> Errors:
    """The first unstorable text (or too deep nesting) of each field."""
    errors: Errors = {}
    for field, value in data_dict.items():
        if not isinstance(field, str) or text_problem(field):
            errors["__junk"] = [tk._("A field name cannot be stored")]
            continue
        for path, item in _walk(value):
            if len(path) >= yaml_format.MAX_DEPTH and isinstance(item, (dict, list)) and item:
                problem: Optional[str] = tk._("Nested deeper than {limit} levels").format(
                    limit=yaml_format.MAX_DEPTH)
            elif isinstance(item, str):
                problem = text_problem(item)
            else:
                continue
            if problem:
                where = format_path(path)
                errors[field] = [f"{where}: {problem}" if where else problem]
                break
    return errors


def _field_errors(record: dict[str, Any], texts: tuple[str, ...]) -> Errors:
    """Type errors of CKAN core's fields of one dataset or resource."""
    errors: Errors = {}
    for field in texts:
        value = record.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[field] = [not_text(value)]
        elif field in INDEXED and len(value.encode("utf-8", "replace")) > MAX_INDEXED_BYTES:
            errors[field] = [text_problem(value, MAX_INDEXED_BYTES)]
    for field in BOOLEANS:
        value = record.get(field)
        if value is not None and not isinstance(value, (bool, str)):
            errors[field] = [tk._("Expected true or false")]
    return errors


def _mapping_list_errors(data_dict: dict[str, Any]) -> Errors:
    """Errors of ``resources``, ``tags``, ``extras``, ``groups``, shaped as
    CKAN shapes them (a list with one mapping of errors per item)."""
    errors: Errors = {}
    for field, texts in MAPPING_LISTS.items():
        if field not in data_dict:
            continue
        items = data_dict[field]
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            errors[field] = [tk._("Expected a list of mappings")]
            continue
        per_item = [_field_errors(item, texts) for item in items]
        if any(per_item):
            errors[field] = per_item
    return errors


def registered_types() -> set[str]:
    """Dataset types CKAN can show: its default and those of IDatasetForm plugins."""
    types = {"dataset"}
    for plugin in p.PluginImplementations(p.IDatasetForm):
        types.update(plugin.package_types())
    return types


def _type_errors(data_dict: dict[str, Any]) -> Errors:
    value = data_dict.get("type")
    if value is None or not isinstance(value, str) or value in registered_types():
        return {}  # a non-text type is reported by _field_errors
    return {"type": [tk._('Unknown dataset type "{value}". Types: {allowed}').format(
        value=shown(value), allowed=", ".join(sorted(registered_types())))]}


def check_package(data_dict: dict[str, Any]) -> None:
    """Refuse a dataset that CKAN core could not store.

    :raises ckan.plugins.toolkit.ValidationError: naming each field at fault
    """
    errors = {
        **_field_errors(data_dict, PACKAGE_TEXTS),
        **_mapping_list_errors(data_dict),
        **_type_errors(data_dict),
    }
    errors = {**text_errors(data_dict), **errors}
    for field, key in ERROR_KEY.items():
        if field in errors:
            errors[field] = [{key: [error]} if isinstance(error, str) else error
                             for error in errors[field]]
    if errors:
        raise tk.ValidationError(errors)


def check_resource(data_dict: dict[str, Any]) -> None:
    """Refuse a resource that CKAN core could not store.

    :raises ckan.plugins.toolkit.ValidationError: naming each field at fault
    """
    errors = {**text_errors(data_dict), **_field_errors(data_dict, RESOURCE_TEXTS)}
    if errors:
        raise tk.ValidationError(errors)


def _checked(action: str, check: Callable[[dict[str, Any]], None]) -> Any:
    """CKAN's ``action`` chained: ``check`` first, then the action itself."""

    @tk.chained_action
    def checked(up_func: Any, context: Any, data_dict: dict[str, Any]) -> Any:
        check(data_dict)
        return up_func(context, data_dict)

    checked.__name__ = action
    checked.__doc__ = (
        f"CKAN's ``{action}``, after :func:`{check.__name__}` (see the module).\n\n"
        f":param data_dict: as for CKAN's ``{action}``\n"
        ":type data_dict: dict\n"
        f":returns: what CKAN's ``{action}`` returns\n"
        ":raises ckan.plugins.toolkit.ValidationError: naming each field at fault\n"
    )
    return checked


def get_actions() -> dict[str, Any]:
    """Chained actions registered by the plugin (IActions): dataset and
    resource writes checked by :func:`check_package` / :func:`check_resource`."""
    return {
        "package_create": _checked("package_create", check_package),
        "package_update": _checked("package_update", check_package),
        "resource_create": _checked("resource_create", check_resource),
        "resource_update": _checked("resource_update", check_resource),
    }


def after_dataset_update(context: Any, data_dict: dict[str, Any]) -> None:
    """Have the updated dataset reindexed even when no column of it changed.

    ``package_update`` moves ``metadata_modified`` with a bulk UPDATE, which the
    session does not see as a change of the dataset; when nothing else changed,
    CKAN (``ckan/model/modification.py``) sends no notification and the index
    keeps the old ``metadata_modified``, which incremental harvesters read.
    Flagging the attribute makes the commit's flush see the dataset as changed,
    so it is reindexed once, in the same transaction as the update.
    """
    package = context.get("package")
    if package is not None:
        flag_modified(package, "metadata_modified")
