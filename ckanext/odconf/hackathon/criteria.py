"""The judging criteria of a hackathon, as the programme declares them.

A programme's ``hackathon: judging:`` (structure in ``schemas/conference.yaml``)
names the scale every criterion is scored on, the criteria with their weights
and anchor descriptions, and how many honourable mentions the committee gives.
This module reads it from a conference and holds the rules the structure
cannot say by itself (a scale whose top is above its bottom, anchors within
the scale); the programme check and the conference's validator both apply them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.odconf.logic.values import format_path, parse_json

#: The widest scale the score table accepts (its CHECK constraints say the same).
SCALE_LIMITS = (0, 100)

Path = tuple[Any, ...]


@dataclass(frozen=True)
class Anchor:
    """What a score means on one criterion (e.g. 1: "no open data used")."""

    score: int
    description: Mapping[str, str]


@dataclass(frozen=True)
class Criterion:
    """One thing judges score, and its weight in the ranking."""

    slug: str
    title: Mapping[str, str]
    weight: int
    description: Mapping[str, str] = field(default_factory=dict)
    anchors: tuple[Anchor, ...] = ()


@dataclass(frozen=True)
class Judging:
    """The judging of one edition's hackathon."""

    scale_min: int
    scale_max: int
    criteria: tuple[Criterion, ...]
    honourable_mentions: int = 0

    @property
    def scale(self) -> range:
        """Every score a judge may give."""
        return range(self.scale_min, self.scale_max + 1)

    @property
    def total_weight(self) -> int:
        """The sum of the criteria's weights."""
        return sum(criterion.weight for criterion in self.criteria)

    def criterion(self, slug: str) -> Optional[Criterion]:
        """The criterion with that slug, if the edition has it."""
        return next((criterion for criterion in self.criteria if criterion.slug == slug), None)

    @classmethod
    def from_hackathon(cls, hackathon: Mapping[str, Any]) -> Optional["Judging"]:
        """The judging a conference's ``hackathon`` declares; None when it
        declares none, or none that can be used (see :func:`judging_problems`)."""
        judging = hackathon.get("judging") if isinstance(hackathon, Mapping) else None
        if not isinstance(judging, Mapping) or judging_problems(judging):
            return None
        scale = judging["scale"]
        return cls(
            scale_min=scale["min"],
            scale_max=scale["max"],
            criteria=tuple(
                Criterion(
                    slug=item["slug"],
                    title=item.get("title") or {},
                    weight=item["weight"],
                    description=item.get("description") or {},
                    anchors=tuple(
                        Anchor(anchor["score"], anchor.get("description") or {})
                        for anchor in sorted(item.get("anchors") or [], key=lambda a: a["score"])
                    ),
                )
                for item in judging["criteria"]
            ),
            honourable_mentions=judging.get("honourable_mentions") or 0,
        )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def judging_problems(judging: Any, path: Path = ()) -> list[tuple[Path, str]]:
    """What is wrong with a ``judging`` declaration beyond its structure.

    :param judging: the declaration (already checked against its structure,
        or read back from a conference)
    :param path: where it stands, prefixed to each problem's path
    :returns: ``(path, message)`` pairs; empty when the judging can be used
    """
    if not isinstance(judging, Mapping):
        return [(path, tk._("expected a mapping of fields"))]
    problems: list[tuple[Path, str]] = []
    scale = judging.get("scale")
    low: Any = scale.get("min") if isinstance(scale, Mapping) else None
    high: Any = scale.get("max") if isinstance(scale, Mapping) else None
    if not (_whole(low) and _whole(high)):
        return [(path + ("scale",), tk._("expected whole numbers min and max"))]
    if not SCALE_LIMITS[0] <= low < high <= SCALE_LIMITS[1]:
        problems.append((path + ("scale",), tk._(
            "the scale must run from a lower to a higher whole number within "
            "{lowest} to {highest}, got {low} to {high}").format(
                lowest=SCALE_LIMITS[0], highest=SCALE_LIMITS[1], low=low, high=high)))
    criteria = judging.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        return problems + [(path + ("criteria",), tk._("at least one criterion is required"))]
    for index, criterion in enumerate(criteria):
        where = path + ("criteria", index)
        if not isinstance(criterion, Mapping) or not criterion.get("slug") \
                or not _whole(criterion.get("weight")) or criterion["weight"] < 1:
            problems.append((where, tk._("a criterion needs a slug and a whole weight of at least 1")))
            continue
        seen: set[int] = set()
        for number, anchor in enumerate(criterion.get("anchors") or []):
            score: Any = anchor.get("score") if isinstance(anchor, Mapping) else None
            here = where + ("anchors", number, "score")
            if not _whole(score) or not low <= score <= high:
                problems.append((here, tk._(
                    "an anchor's score must be on the scale ({low} to {high})").format(
                        low=low, high=high)))
            elif score in seen:
                problems.append((here, tk._("score {score} is described twice").format(score=score)))
            else:
                seen.add(score)
    return problems


def odconf_hackathon_judging(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """The conference's ``hackathon`` field: its judging follows :func:`judging_problems`.

    Runs after ``odconf_structured``, which has checked the structure and
    stored the value as JSON.
    """
    if errors[key]:
        return
    hackathon = parse_json(data.get(key))
    if not isinstance(hackathon, Mapping) or "judging" not in hackathon:
        return
    for path, message in judging_problems(hackathon["judging"], (key[-1], "judging")):
        errors[key].append(f"{format_path(path)}: {message}")


def get_validators() -> dict[str, Callable[..., Any]]:
    """The judging validator (IValidators)."""
    return {"odconf_hackathon_judging": odconf_hackathon_judging}
