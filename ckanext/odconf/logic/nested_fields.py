"""Check nested conference data against the structure declared in the schema.

The conference group keeps its agenda, themes, days, funders, contact and
hackathon as JSON in group extras. Their shape is declared in
``schemas/conference.yaml`` under each field's ``structure`` key, e.g.::

    structure:
      type: records
      key: id
      fields:
        - {field_name: id, type: slug, required: true}
        - {field_name: end, type: time, required: true, later_than: start}

:func:`check` walks a value against such a declaration and returns the
normalised value with every problem found, each with the path to the field
(``("agenda", 3, "end")``). The group validators turn problems into error
messages; the programme loader turns their paths into file line numbers. Both
use this one function, so a programme file and an API call are held to the
same rules.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Collection, Mapping, Optional

import ckan.plugins.toolkit as tk

from ckanext.odconf.logic.values import (
    EMAIL, SLUG, TIME, URL, allowed, format_path, is_empty, normalise_partial_date, parse_json,
    partial_date_problem, read_translated_text, shown, time_zone_problem,
)

Path = tuple[Any, ...]
#: Returns the values a ``refers_to`` name may take, or None when unknown.
Resolver = Callable[[str], Optional[Collection[Any]]]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value, and where it is."""

    path: Path
    message: str

    @property
    def field(self) -> str:
        """The path as people write it: ``agenda[3].end``."""
        return format_path(self.path)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.path else self.message


def sibling_values(document: Mapping[str, Any], reference: str) -> Optional[set[Any]]:
    """Values named by ``refers_to`` inside the same document.

    ``"agenda.id"`` gives the ``id`` of every record of ``agenda``;
    ``"references"`` gives the items of the ``references`` list. None when the
    document has no such field (the check is then left to whoever has it).
    """
    field, _, key = reference.partition(".")
    value = parse_json(document.get(field))
    if not isinstance(value, list):
        return None
    if key:
        return {item.get(key) for item in value if isinstance(item, dict)} - {None}
    return {item for item in value if isinstance(item, (str, int))}



class _Checker:
    def __init__(self, resolve: Resolver, languages: Collection[str]):
        self.resolve = resolve
        self.languages = list(languages)
        self.problems: list[Problem] = []
        # record keys seen per declaration, so e.g. topic slugs are unique
        # across all themes, not only within one theme
        self.seen_keys: dict[int, dict[Any, Path]] = {}

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def check(self, value: Any, spec: Mapping[str, Any], path: Path) -> Any:
        kind = spec.get("type", "text")
        if is_empty(value) and not isinstance(value, bool):
            if spec.get("required"):
                self.problem(path, tk._("is required"))
            return [] if kind in ("list", "records") else None
        method = getattr(self, "check_" + kind, None)
        if method is None:
            raise ValueError(f"unknown structure type {kind!r} at {format_path(path)}")
        value = method(value, spec, path)
        if value is not None and spec.get("refers_to") and kind != "list":
            self.check_reference(value, spec, path)
        return value

    def check_reference(self, value: Any, spec: Mapping[str, Any], path: Path) -> None:
        known = self.resolve(spec["refers_to"])
        if known is not None and value not in known:
            name = path[-1] if path and isinstance(path[-1], str) else spec["refers_to"]
            self.problem(
                path,
                tk._('unknown {name} "{value}"; allowed: {allowed}').format(
                    name=name, value=shown(value), allowed=allowed(sorted(known, key=str))),
            )

    def check_text(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[str]:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(path, tk._("expected text"))
            return None
        return value.strip()

    def check_translated_text(
        self, value: Any, spec: Mapping[str, Any], path: Path
    ) -> Optional[dict[str, str]]:
        if not isinstance(value, dict):
            self.problem(
                path, tk._("expected a mapping of language to text ({allowed})").format(
                    allowed=allowed(self.languages))
            )
            return None
        result, problems = read_translated_text(value, self.languages, bool(spec.get("required")))
        for language, message in problems:
            self.problem(path + (language,), message)
        return result or None

    def check_slug(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[str]:
        if not isinstance(value, str) or not SLUG.match(value):
            self.problem(
                path,
                tk._('"{value}" is not a valid name: use lowercase letters, digits, '
                     "- and _ (2 to 100 characters)").format(value=shown(value)),
            )
            return None
        return value

    def check_integer(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[int]:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, tk._('expected a whole number, got "{value}"').format(
                value=shown(value)))
            return None
        if "min" in spec and value < spec["min"]:
            self.problem(path, tk._("must be at least {min}, got {value}").format(
                min=spec["min"], value=shown(value)))
        return value

    def check_boolean(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[bool]:
        if not isinstance(value, bool):
            self.problem(path, tk._('expected true or false, got "{value}"').format(
                value=shown(value)))
            return None
        return value

    def check_date(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[str]:
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            self.problem(path, tk._('"{value}" is not a date (YYYY-MM-DD)').format(
                value=shown(value)))
            return None

    def check_partial_date(
        self, value: Any, spec: Mapping[str, Any], path: Path
    ) -> Optional[str]:
        normalised = normalise_partial_date(value)
        if normalised is None:
            self.problem(path, partial_date_problem(value))
        return normalised

    def check_time(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[str]:
        match = TIME.match(str(value).strip()) if isinstance(value, str) else None
        if not match:
            self.problem(path, tk._('"{value}" is not a time of day (HH:MM, 24-hour clock)').format(
                value=shown(value)))
            return None
        return f"{int(match.group(1)):02d}:{match.group(2)}"

    def check_time_zone(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[str]:
        problem = time_zone_problem(value)
        if problem:
            self.problem(path, problem)
            return None
        return value

    def check_email(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[str]:
        if not isinstance(value, str) or not EMAIL.match(value.strip()):
            self.problem(path, tk._('"{value}" is not an email address').format(value=shown(value)))
            return None
        return value.strip()

    def check_url(self, value: Any, spec: Mapping[str, Any], path: Path) -> Optional[str]:
        if not isinstance(value, str) or not URL.match(value.strip()):
            self.problem(path, tk._('"{value}" is not a web address (http:// or https://)').format(
                value=shown(value)))
            return None
        return value.strip()

    def check_choice(self, value: Any, spec: Mapping[str, Any], path: Path) -> Any:
        values = [choice["value"] for choice in spec.get("choices", [])]
        if value not in values:
            name = path[-1] if path and isinstance(path[-1], str) else "value"
            self.problem(path, tk._('unknown {name} "{value}"; allowed: {allowed}').format(
                name=name, value=shown(value), allowed=allowed(values)))
            return None
        return value

    def check_list(self, value: Any, spec: Mapping[str, Any], path: Path) -> list[Any]:
        if not isinstance(value, list):
            self.problem(path, tk._("expected a list"))
            return []
        item_spec = dict(spec.get("of", {"type": "text"}))
        if spec.get("refers_to"):
            item_spec.setdefault("refers_to", spec["refers_to"])
        result: list[Any] = []
        for index, item in enumerate(value):
            checked = self.check(item, item_spec, path + (index,))
            if checked is None:
                continue
            if checked in result:
                self.problem(path + (index,), tk._('"{value}" is listed twice').format(
                    value=shown(checked)))
                continue
            result.append(checked)
        if item_spec.get("type") == "choice":
            # a set of choices is kept in the order of the choices, as
            # ckanext-scheming stores multiple-choice fields
            order = [choice["value"] for choice in item_spec.get("choices", [])]
            result.sort(key=order.index)
        return result

    def check_object(
        self, value: Any, spec: Mapping[str, Any], path: Path
    ) -> Optional[dict[str, Any]]:
        if not isinstance(value, dict):
            self.problem(path, tk._("expected a mapping of fields"))
            return None
        fields = {field["field_name"]: field for field in spec.get("fields", [])}
        for name in value:
            if name not in fields:
                self.problem(
                    path + (name,), tk._('unknown field "{name}"; allowed: {allowed}').format(
                        name=shown(name), allowed=allowed(fields))
                )
        result: dict[str, Any] = {}
        for name, field in fields.items():
            checked = self.check(value.get(name), field, path + (name,))
            if checked is not None and checked != []:
                result[name] = checked
        for name, field in fields.items():
            self.check_order(result, name, field, path)
        return result

    def check_order(
        self, record: Mapping[str, Any], name: str, field: Mapping[str, Any], path: Path
    ) -> None:
        """``later_than``: strictly after a sibling; ``not_before``: on or after it.

        Values are compared once normalised (``HH:MM``, ``YYYY-MM-DD``).
        """
        for rule, strict in (("later_than", True), ("not_before", False)):
            other = field.get(rule)
            if not other or name not in record or other not in record:
                continue
            value, limit = record[name], record[other]
            if value < limit or (strict and value == limit):
                message = (tk._("{name} ({value}) must be later than {other} ({limit})") if strict
                           else tk._("{name} ({value}) must be on or after {other} ({limit})"))
                self.problem(path + (name,), message.format(
                    name=name, value=value, other=other, limit=limit))

    def check_records(self, value: Any, spec: Mapping[str, Any], path: Path) -> list[Any]:
        if not isinstance(value, list):
            self.problem(path, tk._("expected a list of records"))
            return []
        key = spec.get("key")
        seen = self.seen_keys.setdefault(id(spec), {})
        result = []
        for index, item in enumerate(value):
            record = self.check_object(item, spec, path + (index,))
            if record is None:
                continue
            if key and key in record:
                if record[key] in seen:
                    self.problem(
                        path + (index, key),
                        tk._('duplicate {key} "{value}" (first used at {path})').format(
                            key=key, value=shown(record[key]), path=format_path(seen[record[key]])),
                    )
                else:
                    seen[record[key]] = path + (index,)
            result.append(record)
        return result


def check(
    value: Any,
    spec: Mapping[str, Any],
    path: Path = (),
    resolve: Resolver = lambda reference: None,
    languages: Collection[str] = ("en", "km"),
) -> tuple[Any, list[Problem]]:
    """Check ``value`` against the declaration ``spec``.

    :param value: the value as given (already decoded from JSON)
    :param spec: the ``structure`` declaration from the schema
    :param path: where the value sits, prefixed to every problem's path
    :param resolve: gives the allowed values for a ``refers_to`` name
    :param languages: the languages a translated text may have, the first
        one required when the text is
    :returns: the normalised value and the list of problems (empty when valid)
    """
    checker = _Checker(resolve, languages)
    result = checker.check(value, spec, path)
    return result, checker.problems
