"""Hidden entries stay hidden: CKAN core actions and auth functions corrected.

Chained actions and auth functions over stock CKAN, so that private, draft
and deleted entries never show (not their names, ids or counts) to someone
who may not read them. A hidden entry is "not found" to such a caller, with
the message of an entry that does not exist. A visible entry that cites a
hidden reference entry is shown without that name, in the answers of
``package_show`` and ``package_search`` (the index keeps it).

What a caller may read is decided by CKAN's permission labels (the ones
``package_search`` filters on), so a site's ``IPermissionLabels`` plugin
applies here too.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, Mapping, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import get_permission_labels
from ckan.logic.schema import default_autocomplete_schema
from ckan.types import Action, AuthFunction, AuthResult, Context, DataDict

from ckanext.odconf.logic import values
from ckanext.odconf.logic.conference import CONFERENCE_TYPE, REFERENCE_TYPE

_PAGING_SCHEMA = {
    "offset": [tk.get_validator("ignore_missing"), tk.get_validator("natural_number_validator")],
    "limit": [tk.get_validator("ignore_missing"), tk.get_validator("natural_number_validator")],
}


def as_caller(context: Context) -> Context:
    """A fresh context for nested actions, carrying only who is asking."""
    return {"user": context.get("user", "")}


def reader_labels(context: Context) -> Optional[set[str]]:
    """The permission labels of the caller, or None when the caller may read
    every entry (a sysadmin, or a context that skips authorisation)."""
    if context.get("ignore_auth"):
        return None
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    if user is not None and user.sysadmin:
        return None
    return set(get_permission_labels().get_user_dataset_labels(user))


def readable(labels: Optional[set[str]], packages: Iterable[model.Package]) -> list[model.Package]:
    """The active entries among ``packages`` a caller with ``labels`` may read
    (see :func:`reader_labels`); drafts and deleted entries never are."""
    permission_labels = get_permission_labels()
    return [
        package for package in packages
        if package.state == "active"
        and (labels is None or labels & set(permission_labels.get_dataset_labels(package)))
    ]


def readable_reference_names(context: Context) -> set[str]:
    """Names of the active reference entries the caller may read."""
    references = model.Session.query(model.Package).filter(
        model.Package.type == REFERENCE_TYPE, model.Package.state == "active")
    return {package.name for package in readable(reader_labels(context), references)}


def _cited_names(references: Any) -> set[str]:
    """The values of a ``references`` field that may name a reference entry
    (web addresses never do)."""
    cited = values.parse_json(references)
    if not isinstance(cited, list):
        return set()
    return {item for item in cited if isinstance(item, str) and not values.URL.match(item)}


def hidden_reference_names(labels: Optional[set[str]], names: Iterable[str]) -> set[str]:
    """Which of ``names`` are reference entries that a caller with ``labels``
    (see :func:`reader_labels`) may not read: private ones of others, drafts,
    deleted ones. One query, none when nothing is to be checked."""
    names = set(names)
    if labels is None or not names:
        return set()
    entries = model.Session.query(model.Package).filter(
        model.Package.type == REFERENCE_TYPE, model.Package.name.in_(names)).all()
    shown = {package.name for package in readable(labels, entries)}
    return {package.name for package in entries} - shown


def _withhold(references: Any, hidden: set[str]) -> Any:
    """``references`` without the ``hidden`` names, in the form it came in."""
    cited = values.parse_json(references)
    if not isinstance(cited, list) or not any(
            isinstance(item, str) and item in hidden for item in cited):
        return references
    kept = [item for item in cited if item not in hidden]
    return kept if isinstance(references, list) else json.dumps(kept)


#: Where a search result may hold an entry's stored dictionary as JSON (when
#: the caller asks for it with ``fl``).
_STORED_DICTS = ("validated_data_dict", "data_dict")


def _stored_dicts(holder: dict[str, Any]) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
    """The stored dictionaries ``holder`` carries as JSON, decoded, with where
    each came from: (holder, key, dictionary), outer ones first (CKAN's
    ``data_dict`` holds a ``validated_data_dict`` in turn)."""
    found = []
    for key in _STORED_DICTS:
        decoded = values.parse_json(holder.get(key))
        if isinstance(holder.get(key), str) and isinstance(decoded, dict):
            found.append((holder, key, decoded))
            found.extend(_stored_dicts(decoded))
    return found


def _citations(dataset: dict[str, Any], fields: Iterable[str]) -> list[tuple[dict[str, Any], str]]:
    """Where ``dataset`` names its references: (dictionary, key) pairs, in its
    ``fields`` and in a ``references`` extra."""
    places = [(dataset, field) for field in fields if dataset.get(field)]
    for extra in dataset.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == "references":
            places.append((extra, "value"))
    return places


def withhold_hidden_references(
    labels: Optional[set[str]], datasets: Iterable[dict[str, Any]],
    fields: Iterable[str] = ("references",), facets: Optional[Mapping[str, Any]] = None,
    search_facets: Optional[Mapping[str, Any]] = None,
) -> None:
    """Remove, in place, the names of reference entries a caller with
    ``labels`` may not read: from the ``fields`` of ``datasets`` (also of the
    stored dictionaries a search result may carry as JSON, and of a
    ``references`` extra) and from the same ``fields`` of a search's
    ``facets`` (value -> count) and ``search_facets`` (``items``). Web
    addresses and readable names stay. The index keeps every name (members
    search by them): this filters an answer, with one query per call."""
    if labels is None:
        return
    datasets, fields = list(datasets), list(fields)
    facets, search_facets = facets or {}, search_facets or {}
    # stored dictionaries are decoded only when a caller asked for them
    stored = [found for dataset in datasets for found in _stored_dicts(dataset)]
    places = [place for dataset in [*datasets, *(decoded for _, _, decoded in stored)]
              for place in _citations(dataset, fields)]
    names = set().union(*(_cited_names(holder[key]) for holder, key in places))
    for field in fields:
        names |= _cited_names(list(facets.get(field) or {}))
        names |= _cited_names([item.get("name") for item in
                               (search_facets.get(field) or {}).get("items") or []])
    hidden = hidden_reference_names(labels, names)
    if not hidden:
        return
    for holder, key in places:
        holder[key] = _withhold(holder[key], hidden)
    # inner dictionaries are encoded before the ones holding them
    for holder, key, decoded in reversed(stored):
        holder[key] = json.dumps(decoded)
    for field in fields:
        for name in hidden & set(facets.get(field) or {}):
            del facets[field][name]
        if (search_facets.get(field) or {}).get("items"):
            search_facets[field]["items"] = [
                item for item in search_facets[field]["items"] if item.get("name") not in hidden]


#: The permission filter CKAN's search query adds last to ``fq`` when the
#: caller may not read everything (``PackageSearchQuery.run``).
_LABELS_FILTER = re.compile(r'^\+permission_labels:\((.*)\)$', re.S)


def searcher_labels(search_params: Mapping[str, Any]) -> Optional[set[str]]:
    """The permission labels a finished ``package_search`` filtered on, read
    from its parameters (``after_dataset_search`` is given no context): None
    when it filtered on none (a sysadmin, or a context that skips
    authorisation); an anonymous visitor's when the search did not run."""
    filters = search_params.get("fq")
    if not isinstance(filters, list):
        return reader_labels({})
    # CKAN appends its filter after the caller's own filters: only the last counts
    found = _LABELS_FILTER.match(filters[-1]) if filters and isinstance(filters[-1], str) else None
    if found is None:
        return None
    return set(re.findall(r'"([^"]*)"', found.group(1)))


def after_dataset_show(context: Context, pkg_dict: dict[str, Any]) -> None:
    """Withhold from a shown entry the reference entries its caller may not
    read (``after_dataset_show``). A patch or a form that sends the withheld
    list back keeps them: the ``odconf_references`` validator adds the entry's
    hidden citations again."""
    if pkg_dict.get("references"):
        withhold_hidden_references(reader_labels(context), [pkg_dict])


def _paging(data_dict: DataDict) -> DataDict:
    """``data_dict`` with ``offset`` and ``limit`` as whole numbers (or absent)."""
    paging, errors = tk.navl_validate(
        {name: data_dict[name] for name in ("offset", "limit") if name in data_dict},
        _PAGING_SCHEMA,
    )
    if errors:
        raise tk.ValidationError(errors)
    return dict(data_dict, offset=paging.get("offset"), limit=paging.get("limit"))


def _facet_counts(context: Context, field: str) -> dict[str, int]:
    """Values of ``field`` over the active entries the caller may read, with
    how many such entries have each (``package_search`` run as the caller)."""
    result = tk.get_action("package_search")(
        as_caller(context),
        {"rows": 0, "include_private": True, "facet.field": [field], "facet.limit": -1,
         "facet.mincount": 1},
    )
    facet = result["search_facets"].get(field) or {}
    return {item["name"]: item["count"] for item in facet.get("items", [])}


def _tag_field(vocabulary_id: Optional[str]) -> Optional[str]:
    """The search field holding free tags, or the tags of a vocabulary."""
    if not vocabulary_id:
        return "tags"
    vocabulary = model.Vocabulary.get(vocabulary_id)
    return "vocab_" + vocabulary.name if vocabulary else None


def _readable_tags(context: Context, vocabulary_id: Optional[str]) -> set[str]:
    field = _tag_field(vocabulary_id)
    return set(_facet_counts(context, field)) if field else set()


def _tag_name(tag: Any) -> str:
    return tag["name"] if isinstance(tag, dict) else tag


@tk.side_effect_free
@tk.chained_action
def tag_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``tag_list``, with only the tags of entries the caller may read.

    :param query: only tags whose names contain this string (optional)
    :type query: string
    :param vocabulary_id: the id or name of a vocabulary (optional)
    :type vocabulary_id: string
    :param all_fields: return tag dictionaries instead of names (optional)
    :type all_fields: bool
    :returns: tag names, or tag dictionaries (``id``, ``name``, ``vocabulary_id``)
    :rtype: list
    """
    tags = next_action(context, data_dict)
    if not tags or reader_labels(context) is None:
        return tags
    names = _readable_tags(context, data_dict.get("vocabulary_id"))
    return [tag for tag in tags if _tag_name(tag) in names]


@tk.side_effect_free
@tk.chained_action
def tag_search(next_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """CKAN's ``tag_search``, counting and paging only the tags of entries the
    caller may read.

    :param query: the string(s) to search for
    :type query: string or list of strings
    :param vocabulary_id: the id or name of a vocabulary (optional)
    :type vocabulary_id: string
    :param limit: the maximum number of tags to return (optional)
    :type limit: int
    :param offset: the number of matching tags to skip (optional)
    :type offset: int
    :returns: ``count`` (matching tags) and ``results`` (tag dictionaries)
    :rtype: dictionary
    """
    data_dict = _paging(data_dict)
    if reader_labels(context) is None:
        return next_action(context, data_dict)
    # the caller's tags are known only after the search: page them here
    found = next_action(context, dict(data_dict, offset=None, limit=None))
    names = _readable_tags(context, data_dict.get("vocabulary_id")) if found["results"] else set()
    results = [tag for tag in found["results"] if tag["name"] in names]
    offset, limit = data_dict["offset"] or 0, data_dict["limit"]
    return {"count": len(results),
            "results": results[offset:None if limit is None else offset + limit]}


@tk.side_effect_free
@tk.chained_action
def tag_autocomplete(next_action: Action, context: Context, data_dict: DataDict) -> list[str]:
    """CKAN's ``tag_autocomplete``, answered by the corrected ``tag_search``.

    :param query, vocabulary_id, limit, offset: as ``tag_search``'s
    :returns: the names of the matching tags
    :rtype: list of strings
    """
    tk.check_access("tag_autocomplete", context, data_dict)
    found = tk.get_action("tag_search")(as_caller(context), data_dict)
    return [tag["name"] for tag in found["results"]]


@tk.side_effect_free
@tk.chained_action
def format_autocomplete(next_action: Action, context: Context, data_dict: DataDict) -> list[str]:
    """CKAN's ``format_autocomplete``, over the resources of entries the caller
    may read.

    :param q: the string to search for
    :type q: string
    :param limit: the maximum number of formats to return (optional, default 5)
    :type limit: int
    :returns: the matching formats in lower case, the most used first
    :rtype: list of strings
    """
    tk.check_access("format_autocomplete", context, data_dict)
    request, errors = tk.navl_validate(
        {"limit": 5, **data_dict}, default_autocomplete_schema())
    if errors:
        raise tk.ValidationError(errors)
    text, limit = request["q"], request["limit"]
    counts = _facet_counts(context, "res_format")
    matching = sorted(
        (value for value in counts if text.lower() in value.lower()),
        key=lambda value: (-counts[value], value.lower()),
    )
    return [value.lower() for value in matching[:limit]]


@tk.side_effect_free
@tk.chained_action
def member_list(next_action: Action, context: Context, data_dict: DataDict) -> list[Any]:
    """CKAN's ``member_list``, without the entries the caller may not read.

    :param id: the id or name of the group or organisation
    :type id: string
    :param object_type: only members of this type, e.g. ``user`` or ``package``
        (optional)
    :type object_type: string
    :param capacity: only members with this capacity (optional)
    :type capacity: string
    :returns: ``(id, type, capacity)`` of each member
    :rtype: list of tuples
    """
    members = next_action(context, data_dict)
    labels = reader_labels(context)
    package_ids = [member[0] for member in members if member[1] == "package"]
    if labels is None or not package_ids:
        return members
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(package_ids))
    shown = {package.id for package in readable(labels, packages)}
    return [member for member in members if member[1] != "package" or member[0] in shown]


@tk.side_effect_free
@tk.chained_action
def group_show(next_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """CKAN's ``group_show``; a conference edition names only the reference
    entries the caller may read (in ``references`` and its sessions).

    :param id: the id or name of the group
    :type id: string
    :returns: the group, as CKAN's ``group_show`` returns it
    :rtype: dictionary
    """
    group = next_action(context, data_dict)
    labels = reader_labels(context)
    if group.get("type") != CONFERENCE_TYPE or labels is None:
        return group
    shown = readable_reference_names(context)
    group["references"] = [name for name in group.get("references") or [] if name in shown]
    for session in group.get("agenda") or []:
        if isinstance(session, dict) and session.get("references"):
            session["references"] = [name for name in session["references"] if name in shown]
    return group


def _not_found_when_unreadable(action_name: str) -> Action:
    """A chained action answering "not found" where CKAN refuses to show an
    entry, so that the refusal does not tell the entry exists (nor its id)."""

    def action(next_action: Action, context: Context, data_dict: DataDict) -> Any:
        try:
            return next_action(context, data_dict)
        except tk.NotAuthorized:
            raise tk.ObjectNotFound()

    action.__name__ = action_name
    action.__doc__ = (f"CKAN's ``{action_name}``; an entry the caller may not read "
                      "is not found, as one that does not exist.")
    return tk.side_effect_free(tk.chained_action(action))


def _not_found_when_unreadable_on_write(action_name: str) -> Action:
    """A chained write action: refused as "not found" when the caller may not
    even read the entry, as "not authorised" when they may only read it. The
    entry it returns withholds the references the caller may not read (CKAN
    shows it with ``ignore_auth``, so ``after_dataset_show`` cannot tell)."""

    def action(next_action: Action, context: Context, data_dict: DataDict) -> Any:
        labels = reader_labels(context)
        try:
            written = next_action(context, data_dict)
        except tk.NotAuthorized:
            name_or_id = data_dict.get("id") or data_dict.get("name")
            package = model.Package.get(name_or_id) if isinstance(name_or_id, str) else None
            if package is None or not readable(reader_labels(context), [package]):
                raise tk.ObjectNotFound()
            raise
        if isinstance(written, dict) and written.get("references"):
            withhold_hidden_references(labels, [written])
        return written

    action.__name__ = action_name
    action.__doc__ = (f"CKAN's ``{action_name}``; an entry the caller may not read "
                      "is not found, as one that does not exist.")
    return tk.chained_action(action)


def get_actions() -> dict[str, Any]:
    """Chained actions registered by the plugin (IActions)."""
    actions: dict[str, Any] = {
        fn.__name__: fn
        for fn in (tag_list, tag_search, tag_autocomplete, format_autocomplete, member_list,
                   group_show)
    }
    for name in ("package_show", "resource_show"):
        actions[name] = _not_found_when_unreadable(name)
    for name in ("package_update", "package_patch", "package_delete"):
        actions[name] = _not_found_when_unreadable_on_write(name)
    return actions


def _is_conference(context: Context, data_dict: Optional[DataDict]) -> bool:
    """Whether the group created, updated or deleted is a conference edition."""
    data_dict = data_dict or {}
    if data_dict.get("type") == CONFERENCE_TYPE or context.get("group_type") == CONFERENCE_TYPE:
        return True
    group = context.get("group")
    if group is None and isinstance(data_dict.get("id"), str):
        group = model.Group.get(data_dict["id"])
    return group is not None and group.type == CONFERENCE_TYPE


def _sysadmins_only_for_conferences(auth_name: str) -> AuthFunction:
    """A chained auth function: conference editions are created, edited and
    deleted by sysadmins only (who never reach auth functions); other groups
    keep CKAN's rules."""

    def auth(next_auth: AuthFunction, context: Context,
             data_dict: Optional[DataDict] = None) -> AuthResult:
        if _is_conference(context, data_dict):
            return {"success": False,
                    "msg": tk._("Only sysadmins may create, edit or delete conference editions")}
        return next_auth(context, data_dict)

    auth.__name__ = auth_name
    return tk.chained_auth_function(auth)


def get_auth_functions() -> dict[str, Any]:
    """Chained auth functions registered by the plugin (IAuthFunctions)."""
    return {
        name: _sysadmins_only_for_conferences(name)
        # group_patch is authorised as group_update
        for name in ("group_create", "group_update", "group_delete")
    }
