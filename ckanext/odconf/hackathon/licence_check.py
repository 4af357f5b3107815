"""Licence check: do the outputs' licences respect those of the data used?

One table, :data:`RULES`, says when the licence of a dataset a project uses
conflicts with the licence of the project's outputs (README.rst shows the
same table; a test keeps them equal). A project's outputs are under its
``license_id``, except the resources that carry a licence of their own: each
distinct output licence is checked against each dataset used. The check only
informs: the team sees which datasets conflict and why, on the project's page
and from ``odconf_hackathon_licence_check``, before and after submitting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.types import Context, DataDict, Schema, Validator

from ckanext.odconf.hackathon import projects
from ckanext.odconf.hackathon.validators import registered_licenses
from ckanext.odconf.logic import schema as input_schema, visibility
from ckanext.odconf.logic.values import parse_json


def N_(message: str) -> str:
    """Mark a message for translation where it is declared; ``_`` translates it when used."""
    return message


@dataclass(frozen=True)
class Terms:
    """What a licence asks of whoever reuses the data."""

    share_alike: bool = False
    non_commercial: bool = False
    no_derivatives: bool = False
    #: not an open licence at all (or none stated, or unknown here)
    closed: bool = False


#: The licences of CKAN's default register whose terms their id does not say.
KNOWN_TERMS = {
    "odc-odbl": Terms(share_alike=True),
    "gfdl": Terms(share_alike=True),
    "notspecified": Terms(closed=True),
    "other-closed": Terms(closed=True),
}


def terms(license_id: Optional[str]) -> Terms:
    """The terms of a licence: from :data:`KNOWN_TERMS`, else from the
    Creative Commons parts of its id (``-sa``, ``-nc``, ``-nd``), else open
    when CKAN's register marks it open and closed otherwise (unknown ids too)."""
    if license_id in KNOWN_TERMS:
        return KNOWN_TERMS[license_id]
    parts = set(re.split(r"[-_.\s]+", (license_id or "").lower()))
    found = Terms(share_alike="sa" in parts, non_commercial="nc" in parts,
                  no_derivatives="nd" in parts)
    if found != Terms():
        return found
    license = model.Package.get_license_register().get(license_id or "")
    return found if license is not None and license.isopen() else Terms(closed=True)


@dataclass(frozen=True)
class Rule:
    """One row of the table: which sources it concerns, and when their
    licence conflicts with an output's."""

    name: str
    #: the sources the rule concerns, in words (README's table)
    sources: str
    #: when such a source conflicts with an output's licence, in words
    conflict: str
    applies: Callable[[Terms], bool]
    #: (source licence, output licence, output terms) -> does it conflict
    conflicts: Callable[[str, str, Terms], bool]
    #: the message the team reads (``{dataset}``, ``{licence}``, ``{output}``)
    reason: str


#: The licence conflicts, in the order they are reported.
RULES: tuple[Rule, ...] = (
    Rule("closed", "not open: Other (Not Open), License not specified, or a licence "
         "this site does not know", "always",
         lambda source: source.closed,
         lambda source, output, output_terms: True,
         N_('"{dataset}" is not under an open licence ({licence}): data derived from it '
            "may not be published under {output}")),
    Rule("no-derivatives", "no derivatives (a -nd licence)", "always",
         lambda source: source.no_derivatives,
         lambda source, output, output_terms: True,
         N_('"{dataset}" forbids derived works ({licence}): outputs built on it may not be '
            "published under {output}")),
    Rule("non-commercial", "non-commercial (Creative Commons Non-Commercial, "
         "Other (Non-Commercial), any -nc licence)", "unless the output is non-commercial too",
         lambda source: source.non_commercial,
         lambda source, output, output_terms: not output_terms.non_commercial,
         N_('"{dataset}" allows only non-commercial use ({licence}): {output} would '
            "allow commercial use of data derived from it")),
    Rule("share-alike", "share-alike (ODbL, CC BY-SA, GFDL, any -sa licence)",
         "unless the output carries the same licence",
         lambda source: source.share_alike,
         lambda source, output, output_terms: output != source,
         N_('"{dataset}" is share-alike ({licence}): outputs derived from it must be '
            "published under the same licence, not {output}")),
)


def conflicts(source_license: Optional[str], output_license: str) -> list[Rule]:
    """The rules by which a source's licence conflicts with an output's."""
    source, output = terms(source_license), terms(output_license)
    return [rule for rule in RULES
            if rule.applies(source) and rule.conflicts(source_license or "", output_license, output)]


def _datasets(context: Context, names: Iterable[str]) -> tuple[list[model.Package], int]:
    """The entries among ``names`` the caller may read, in the given order,
    and how many of the names are not such an entry."""
    names = list(dict.fromkeys(names))
    found = model.Session.query(model.Package).filter(
        sa.or_(model.Package.name.in_(names), model.Package.id.in_(names))) if names else []
    readable = {package.name: package
                for package in visibility.readable(visibility.reader_labels(context), found)}
    readable.update({package.id: package for package in list(readable.values())})
    shown = list(dict.fromkeys(readable[name] for name in names if name in readable))
    return shown, len(names) - len(shown)


def _translated_title(package: model.Package) -> Optional[dict[str, str]]:
    """A dataset's title in each language, when it has translations."""
    translations = parse_json(package.extras.get("title_translated"))
    return translations if isinstance(translations, dict) else None


def check(
    context: Context, license_id: str, datasets_used: Iterable[str],
    outputs: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The licence check of outputs under ``license_id`` (and ``outputs``:
    ``(name, licence)`` of those with their own) against ``datasets_used``,
    as the caller may read them. See :func:`odconf_hackathon_licence_check`."""
    titles = registered_licenses()
    # (output name, licence): None names the project's own licence
    checked: list[tuple[Optional[str], str]] = [(None, license_id)] + [
        (name, own) for name, own in outputs if own and own != license_id]
    datasets, unreadable = _datasets(context, datasets_used)
    found = []
    for dataset in datasets:
        for output, output_license in checked:
            for rule in conflicts(dataset.license_id, output_license):
                found.append({
                    "dataset": dataset.name,
                    "dataset_title": dataset.title or dataset.name,
                    "dataset_title_translated": _translated_title(dataset),
                    "dataset_license": dataset.license_id,
                    "output": output,
                    "output_license": output_license,
                    "rule": rule.name,
                    "reason": tk._(rule.reason).format(
                        dataset=dataset.title or dataset.name,
                        licence=titles.get(dataset.license_id or "", dataset.license_id or "none"),
                        output=titles.get(output_license, output_license)),
                })
    return {
        "ok": not found,
        "license_id": license_id,
        "outputs": [{"name": name, "license_id": own} for name, own in checked],
        "datasets": [{"name": dataset.name, "title": dataset.title or dataset.name,
                      "title_translated": _translated_title(dataset),
                      "license_id": dataset.license_id,
                      "license_title": titles.get(dataset.license_id or "", dataset.license_id)}
                     for dataset in datasets],
        "unreadable": unreadable,
        "conflicts": found,
    }


@tk.validator_args
def licence_check_schema(ignore_missing: Validator, odconf_text: Validator) -> Schema:
    """``odconf_hackathon_licence_check``: a project's ``id``, or a
    ``license_id`` with ``datasets_used`` and ``output_licenses``."""
    texts = [ignore_missing, input_schema.odconf_json_texts]
    return {
        "id": [ignore_missing, odconf_text],
        "license_id": [ignore_missing, odconf_text],
        "datasets_used": texts,
        "output_licenses": texts,
    }


def _check_license(value: Any) -> Optional[str]:
    """The error for a licence id not in CKAN's register, or None."""
    if value in registered_licenses():
        return None
    return tk._('Unknown licence "{value}"').format(value=str(value)[:100])


@tk.side_effect_free
def odconf_hackathon_licence_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Which datasets used by a project conflict with its outputs' licence, and why.

    Give either a project, or the licences and datasets of a project being
    written (to check before saving it).

    :param id: the name or id of a hackathon project the caller may read
    :type id: string
    :param license_id: the licence of the outputs (CKAN licence id), without ``id``
    :type license_id: string
    :param datasets_used: names of the datasets used, without ``id`` (list, or its JSON)
    :type datasets_used: list of strings
    :param output_licenses: licences of outputs that carry their own (optional)
    :type output_licenses: list of strings
    :returns: ``ok`` (no conflict), ``license_id``, ``outputs`` (each output
        licence checked: ``name`` of the output, None for the project's,
        ``license_id``), ``datasets`` (the datasets used the caller may read:
        ``name``, ``title``, ``title_translated``, ``license_id``, ``license_title``),
        ``unreadable`` (how many datasets used the caller may not read, not
        named), ``conflicts`` (``dataset``, ``dataset_title``, ``dataset_title_translated``,
        ``dataset_license``, ``output``, ``output_license``, ``rule``:
        closed, no-derivatives, non-commercial or share-alike, ``reason``)
    :rtype: dictionary
    """
    request = input_schema.validate(data_dict, licence_check_schema(), context)
    tk.check_access("odconf_hackathon_licence_check", context, request)
    if request.get("id"):
        project = tk.get_action("package_show")(visibility.as_caller(context), {"id": request["id"]})
        if project.get("type") != projects.PROJECT_TYPE:
            raise tk.ObjectNotFound(tk._("Hackathon project not found"))
        return check(context, project.get("license_id") or "notspecified",
                     project.get("datasets_used") or [],
                     [(resource.get("name") or resource.get("url") or resource["id"],
                       resource.get("license_id"))
                      for resource in project.get("resources") or []])
    errors = {}
    if not request.get("license_id"):
        errors["license_id"] = [tk._("Give a project's id, or the licence of its outputs")]
    elif _check_license(request["license_id"]):
        errors["license_id"] = [_check_license(request["license_id"])]
    wrong = [_check_license(value) for value in request.get("output_licenses") or []
             if _check_license(value)]
    if wrong:
        errors["output_licenses"] = wrong[:5]
    if errors:
        raise tk.ValidationError(errors)
    return check(context, request["license_id"], request.get("datasets_used") or [],
                 [(license_id, license_id) for license_id in request.get("output_licenses") or []])


@tk.auth_allow_anonymous_access
def odconf_hackathon_licence_check_auth(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Anyone may check licences: a project only if they may read it
    (``package_show`` decides, and hides it as not found otherwise)."""
    return {"success": True}
