"""Validators named in the scheming schemas (``schemas/*.yaml``).

Each error names the values that would have been accepted, so that whoever
reads it (a person at a form, a script calling the API, the programme loader)
knows what to send instead.
"""
from __future__ import annotations

import datetime
import json
from typing import Any, Callable, Collection, Mapping, Optional

import ckan.plugins.toolkit as tk
import yaml
from ckan.lib.navl.dictization_functions import unflatten
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey
from ckanext.scheming.validation import scheming_validator

from ckanext.odconf.logic import conference as conferences
from ckanext.odconf.logic import nested_fields, values, visibility
from ckanext.odconf.logic.licenses import accepted_licenses
from ckanext.odconf.programme import format as yaml_format
from ckanext.odconf.translation import default_language, parse_translations

missing = tk.missing
Validator = Callable[[FlattenKey, FlattenDataDict, FlattenErrorDict, Context], None]

#: Unknown names reported one by one in an error; the rest are not repeated back.
MAX_REPORTED = 5

def odconf_text(value: Any, context: Context) -> Any:
    """A single text that can be stored (see :func:`values.text_problem`); numbers
    are taken as their text, lists and mappings refused."""
    if value in (missing, None, ""):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise tk.Invalid(values.not_text(value))
    problem = values.text_problem(value)
    if problem:
        raise tk.Invalid(problem)
    return value


def odconf_text_list(value: Any, context: Context) -> Any:
    """A text or a flat list of texts (the values of a multiple choice field)."""
    if value in (missing, None, ""):
        return value
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        raise tk.Invalid(tk._("Expected a list of texts"))
    for text in texts:
        problem = values.text_problem(text)
        if problem:
            raise tk.Invalid(problem)
    return value


def _form_languages(field: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    return list(field.get("form_languages") or schema.get("form_languages") or [default_language()])


def _stop(key: FlattenKey, data: FlattenDataDict) -> None:
    """Store nothing for this field (as ``ignore_missing`` does)."""
    data.pop(key, None)
    raise tk.StopOnError


def known_names(kind: str) -> set[str]:
    """Names of the existing organisations or reference entries."""
    if kind == "organization":
        return conferences.organisation_names()
    if kind == conferences.REFERENCE_TYPE:
        return conferences.reference_names()
    raise ValueError(f"unknown kind {kind!r}")


def read_translations(key: FlattenKey, data: FlattenDataDict) -> Optional[dict[str, Any]]:
    """The translations of a field, given as a mapping, as JSON, or as form
    inputs ``<field>-<language>`` (which land in ``__extras``).

    :raises ValueError: when the value cannot be read as translations
    """
    value = parse_translations(data.get(key, missing) or None)
    if value is not None:
        return value
    prefix = key[-1] + "-"
    extras = data.get(key[:-1] + ("__extras",)) or {}
    from_form = {
        name[len(prefix):]: text for name, text in extras.items() if name.startswith(prefix)
    }
    return from_form or None


@scheming_validator
def odconf_translated_text(field: Mapping[str, Any], schema: Mapping[str, Any]) -> Validator:
    """Text in the schema's ``form_languages``, stored as a JSON object.

    Accepts a mapping ``{"en": ..., "km": ...}``, its JSON, or form inputs
    ``<field>-en``, ``<field>-km``. With ``indexed: true`` each text is bounded
    to :data:`values.MAX_INDEXED_BYTES`. When the field names a ``core_field``
    (``title``, ``notes``) and no translation is given, the core field's text
    is taken as the default language's. With ``required: true`` the first
    form language is required.
    """
    languages = _form_languages(field, schema)
    core_field = field.get("core_field")
    max_bytes = values.MAX_INDEXED_BYTES if field.get("indexed") else None

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        if errors[key]:
            return
        try:
            value = read_translations(key, data)
        except ValueError:
            errors[key].append(tk._("Expected a mapping of language to text"))
            return
        extras = data.get(key[:-1] + ("__extras",)) or {}
        for name in [name for name in extras if name.startswith(key[-1] + "-")]:
            del extras[name]
        if not value and core_field:
            core_text = data.get(key[:-1] + (core_field,))
            if isinstance(core_text, str) and core_text.strip():
                value = {default_language(): core_text}
        translations, problems = values.read_translated_text(
            value or {}, languages, bool(field.get("required")), max_bytes)
        errors[key].extend(message for _language, message in problems)
        if errors[key]:
            return
        if not translations:
            _stop(key, data)
        data[key] = json.dumps(translations, ensure_ascii=False)

    return validator


def odconf_translated_text_output(value: Any) -> Any:
    """Stored JSON back to a mapping; a plain string is the default language's."""
    try:
        parsed = parse_translations(value)
    except ValueError:
        return {default_language(): value}
    return parsed if parsed is not None else value


def odconf_core_text_from(translated_field: str) -> Validator:
    """Fill a core field (``title``, ``notes``) from its translated field.

    The translated field is the one edited; CKAN core, its templates and
    search still read the core field, so it holds the text in the site's
    default language (or, failing that, the first text given).
    """

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        try:
            translations = read_translations(key[:-1] + (translated_field,), data)
        except ValueError:
            return  # the translated field's own validator reports it
        if not translations:
            return
        text = translations.get(default_language()) or next(
            (text for text in translations.values() if isinstance(text, str) and text.strip()),
            None,
        )
        if isinstance(text, str) and text.strip():
            data[key] = text.strip()

    return validator


def odconf_load_json(value: Any) -> Any:
    """Stored JSON back to lists and mappings."""
    return values.parse_json(value)


def _document(data: FlattenDataDict, key: FlattenKey) -> dict[str, Any]:
    """The sibling fields of ``key`` as a plain mapping (top level only)."""
    depth = len(key)
    return {
        flat[-1]: value
        for flat, value in data.items()
        if len(flat) == depth and flat[:-1] == key[:-1] and value is not missing
    }


@scheming_validator
def odconf_structured(field: Mapping[str, Any], schema: Mapping[str, Any]) -> Validator:
    """Nested data checked against the field's ``structure`` and stored as JSON.

    ``refers_to`` names resolve to sibling fields of the same record (e.g. a
    theme's session must be an ``agenda`` id) or to existing organisations and
    reference entries.
    """
    spec = field["structure"]
    languages = _form_languages(field, schema)

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        if errors[key]:
            return
        document = _document(data, key)

        def resolve(reference: str) -> Optional[Collection[Any]]:
            if reference in ("organization", conferences.REFERENCE_TYPE):
                return known_names(reference)
            return nested_fields.sibling_values(document, reference)

        value = data.get(key, missing) or None
        if isinstance(value, str):
            try:
                value = yaml_format.load(value)  # JSON, or YAML typed in the form
            except yaml_format.AliasRefused:
                errors[key].append(tk._("YAML anchors and aliases (& and *) are not accepted"))
                return
            except yaml_format.TooDeep:
                errors[key].append(tk._("Nested deeper than {limit} levels").format(
                    limit=yaml_format.MAX_DEPTH))
                return
            except yaml.YAMLError as error:
                errors[key].append(tk._("Not valid YAML or JSON: {error}").format(error=error))
                return
        normalised, problems = nested_fields.check(value, spec, (key[-1],), resolve, languages)
        for problem in problems:
            errors[key].append(str(problem))
        if errors[key]:
            return
        if values.is_empty(normalised):
            _stop(key, data)
        data[key] = json.dumps(normalised, ensure_ascii=False)

    return validator


@scheming_validator
def odconf_gather_structured(field: Any, schema: Mapping[str, Any]) -> Validator:
    """Put lists of records back together before validation (``__before``).

    CKAN flattens a list of mappings into keys like ``("agenda", 0, "id")``,
    which a field validated as a whole would never see (they end up as junk).
    This validator rebuilds such fields so that ``odconf_structured`` gets the
    list, and ``group_patch``/``group_update`` with ``group_show`` output work.
    """
    names = {
        item["field_name"]
        for item in schema.get("fields", []) + schema.get("dataset_fields", [])
        if "structure" in item
    }

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        junk = data.get(("__junk",))
        if not isinstance(junk, dict):
            return
        gathered = {flat: value for flat, value in junk.items() if flat[0] in names}
        for flat in gathered:
            del junk[flat]
        for name, value in unflatten(gathered).items():
            data[(name,)] = value

    return validator


def _as_date(value: Any) -> Optional[datetime.date]:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def odconf_not_before(earlier_field: str) -> Validator:
    """The date must not be before the date of ``earlier_field``."""

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = _as_date(data.get(key))
        earlier = _as_date(data.get(key[:-1] + (earlier_field,)))
        if value and earlier and value < earlier:
            errors[key].append(
                tk._("{value} is before {field} ({earlier})").format(
                    value=value.isoformat(), field=earlier_field, earlier=earlier.isoformat()
                )
            )

    return validator


def odconf_time_zone(value: Any, context: Context) -> Any:
    """An IANA time zone name such as ``Asia/Phnom_Penh``."""
    if value in (missing, None, ""):
        return value
    problem = values.time_zone_problem(value)
    if problem:
        raise tk.Invalid(problem)
    return value


def odconf_partial_date(value: Any, context: Context) -> Any:
    """A date, or only its year or month: ``2016``, ``2020-05``, ``2020-05-31``."""
    normalised = values.normalise_partial_date(value)
    if normalised is None:
        raise tk.Invalid(values.partial_date_problem(value))
    return normalised


@scheming_validator
def odconf_license(field: Mapping[str, Any], schema: Mapping[str, Any]) -> Validator:
    """The licence must be one of the accepted licences (``odconf.licenses``)."""

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = data.get(key)
        accepted = [license_id for license_id, _title in accepted_licenses()]
        if value in (missing, None, ""):
            if field.get("required"):
                errors[key].append(
                    tk._("Missing value. Accepted licences: {allowed}").format(
                        allowed=values.allowed(accepted)
                    )
                )
                raise tk.StopOnError
            _stop(key, data)
        if value not in accepted:
            errors[key].append(
                tk._('Licence "{value}" is not accepted. Accepted licences: {allowed}').format(
                    value=values.shown(value), allowed=values.allowed(accepted)
                )
            )

    return validator


def odconf_conference(value: Any, context: Context) -> Any:
    """The name (or id) of an existing conference; stored as its name."""
    if value in (missing, None, ""):
        return value
    conference = conferences.get_conference(value)
    if conference is None:
        raise tk.Invalid(
            tk._('Unknown conference "{value}". Conferences: {allowed}').format(
                value=values.shown(value), allowed=values.allowed(conferences.conference_names())
            )
        )
    return conference.name


def N_(message: str) -> str:
    """Mark a message for translation where it is declared; ``_`` translates it when used."""
    return message


def _conference_of(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, needs_conference: str
) -> Optional[conferences.Conference]:
    """The conference chosen in the same entry, or the error ``needs_conference``."""
    name = data.get(key[:-1] + ("conference",))
    if name in (missing, None, ""):
        errors[key].append(tk._(needs_conference))
        return None
    # an unknown conference is reported by the conference field itself
    return conferences.get_conference(name)


def _part_of_conference(
    needs_conference: str,
    unknown: str,
    find: Callable[[conferences.Conference, str], Any],
    names: Callable[[conferences.Conference], list[str]],
) -> Validator:
    """A validator of a field whose value must be a part (theme, session) of the
    entry's conference; ``unknown`` is the error, naming the allowed values."""

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = data.get(key)
        if value in (missing, None, ""):
            return
        conference = _conference_of(key, data, errors, needs_conference)
        if conference is not None and not find(conference, value):
            errors[key].append(tk._(unknown).format(
                value=values.shown(value), conference=conference.name, allowed=values.allowed(names(conference))
            ))

    return validator


#: A theme (or room) of the entry's conference.
odconf_theme = _part_of_conference(
    N_("Choose a conference before choosing its theme"),
    N_('Unknown theme "{value}" for conference "{conference}". Allowed themes: {allowed}'),
    lambda conference, slug: conference.theme(slug),
    lambda conference: [theme.slug for theme in conference.themes],
)

#: A session of the entry's conference agenda.
odconf_session = _part_of_conference(
    N_("Choose a conference before choosing its session"),
    N_('Unknown session "{value}" for conference "{conference}". Allowed sessions: {allowed}'),
    lambda conference, session_id: conference.session(session_id),
    lambda conference: [session["id"] for session in conference.agenda],
)


def odconf_topic(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A topic of the entry's theme."""
    value = data.get(key)
    if value in (missing, None, ""):
        return
    conference = _conference_of(key, data, errors, N_("Choose a conference before choosing its topic"))
    if conference is None:
        return
    theme_slug = data.get(key[:-1] + ("theme",))
    theme = conference.theme(theme_slug) if isinstance(theme_slug, str) else None
    if theme is None:
        errors[key].append(tk._("Choose a theme before choosing its topic"))
        return
    if theme.topic(value):
        return
    allowed = values.allowed([topic.slug for topic in theme.topics]) if theme.topics else tk._(
        "none yet, the programme has not named this theme's topics"
    )
    owner = conference.theme_of_topic(value)
    if owner is not None:
        message = tk._('Topic "{value}" belongs to theme "{owner}", not to "{theme}". '
                       'Topics of "{theme}": {allowed}')
    else:
        message = tk._('Unknown topic "{value}" for theme "{theme}". Allowed topics: {allowed}')
    errors[key].append(
        message.format(
            value=values.shown(value), owner=owner.slug if owner else "", theme=theme.slug, allowed=allowed
        )
    )


def _hidden_citations(context: Context, known: set[str]) -> list[str]:
    """What the entry being updated already cites and the caller may not read.

    Such citations are kept as they are, unnamed: an editor never sees them
    (neither on the form nor in ``package_show``), so neither dropping them on
    save nor refusing the save for them would be right.
    """
    package = context.get("package")
    stored = values.parse_json(package.extras.get("references")) if package is not None else None
    if not isinstance(stored, list):
        return []
    return [name for name in stored
            if isinstance(name, str) and not values.URL.match(name) and name not in known]


def odconf_references(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Names of reference entries and/or web addresses, stored as a JSON list.

    Only names the caller may read are accepted or named in an error; on an
    update, citations the caller may not read are kept unchanged.
    """
    # only what the caller may read is accepted, or named in the error
    known = visibility.readable_reference_names(context)
    hidden = _hidden_citations(context, known)
    value = values.parse_json(data.get(key, missing))
    if (value is missing or values.is_empty(value)) and not hidden:
        _stop(key, data)
    if value is missing or values.is_empty(value):
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors[key].append(tk._("Expected a list of reference names or web addresses"))
        return
    references = [item.strip() for item in value if item.strip()]
    unknown = [item for item in references
               if not values.URL.match(item) and item not in known and item not in hidden]
    # one message per unknown name, for the first few only: the answer stays small
    for item in unknown[:MAX_REPORTED]:
        errors[key].append(
            tk._('Reference "{value}" is neither a web address nor the name of a '
                 "reference entry. Reference entries: {allowed}").format(
                value=values.shown(item), allowed=values.allowed(sorted(known))
            )
        )
    if not errors[key]:
        data[key] = json.dumps(list(dict.fromkeys(references + hidden)))


def odconf_link_status(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Whether the landing page is known; set from ``url`` when not given."""
    value = data.get(key)
    has_url = data.get(key[:-1] + ("url",)) not in (missing, None, "")
    if value in (missing, None, ""):
        data[key] = "available" if has_url else "not-yet-available"
    elif value == "available" and not has_url:
        errors[key].append(tk._('"available" needs the landing page address (url)'))
    elif value == "not-yet-available" and has_url:
        errors[key].append(tk._('The landing page address is given, so the link is "available"'))
    elif value not in ("available", "not-yet-available"):
        errors[key].append(
            tk._('Unknown link status "{value}". Allowed: available, not-yet-available').format(
                value=values.shown(value)
            )
        )


def get_validators() -> dict[str, Callable[..., Any]]:
    """The validators this extension registers (IValidators), by schema name."""
    return {
        "odconf_text": odconf_text,
        "odconf_text_list": odconf_text_list,
        "odconf_translated_text": odconf_translated_text,
        "odconf_translated_text_output": odconf_translated_text_output,
        "odconf_core_text_from": odconf_core_text_from,
        "odconf_load_json": odconf_load_json,
        "odconf_structured": odconf_structured,
        "odconf_gather_structured": odconf_gather_structured,
        "odconf_not_before": odconf_not_before,
        "odconf_time_zone": odconf_time_zone,
        "odconf_partial_date": odconf_partial_date,
        "odconf_license": odconf_license,
        "odconf_conference": odconf_conference,
        "odconf_theme": odconf_theme,
        "odconf_topic": odconf_topic,
        "odconf_session": odconf_session,
        "odconf_references": odconf_references,
        "odconf_link_status": odconf_link_status,
    }
