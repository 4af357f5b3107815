"""The judging tables (schema ``odconf_hackathon``, created by the plugin's
migration): judges' scores and the results each edition's committee published.

Nothing here is part of a dataset: no dataset dictionary, search document,
RDF or export reads these tables.
"""
from __future__ import annotations

import datetime
import json
from typing import Any, Iterable, Mapping, Optional

import sqlalchemy as sa
from ckan import model

from ckanext.odconf.hackathon.ranking import Scorecard


def _execute(sql: str, **params: Any) -> Any:
    return model.Session.execute(sa.text(sql), params)


def replace_scorecard(
    conference_id: str, package_id: str, judge_id: str, scores: Mapping[str, int],
    scale: tuple[int, int],
) -> None:
    """Make ``scores`` (criterion slug -> score) a judge's only scores of a
    project, in the session's transaction (the caller commits)."""
    _execute("DELETE FROM odconf_hackathon.score WHERE package_id = :package_id "
             "AND judge_id = :judge_id", package_id=package_id, judge_id=judge_id)
    model.Session.execute(
        sa.text("INSERT INTO odconf_hackathon.score (conference_id, package_id, judge_id, "
                "criterion, score, scale_min, scale_max) VALUES (:conference_id, :package_id, "
                ":judge_id, :criterion, :score, :scale_min, :scale_max)"),
        [{"conference_id": conference_id, "package_id": package_id, "judge_id": judge_id,
          "criterion": criterion, "score": score, "scale_min": scale[0], "scale_max": scale[1]}
         for criterion, score in scores.items()],
    )


def scorecards(
    conference_id: str, judge_id: Optional[str] = None, package_ids: Optional[Iterable[str]] = None,
) -> list[tuple[Scorecard, datetime.datetime]]:
    """The scorecards of an edition (``project`` is the package id), each with
    when it was last given; only one judge's, or only some projects', if asked."""
    conditions = ["conference_id = :conference_id"]
    params: dict[str, Any] = {"conference_id": conference_id}
    if judge_id is not None:
        conditions.append("judge_id = :judge_id")
        params["judge_id"] = judge_id
    if package_ids is not None:
        conditions.append("package_id = ANY(:package_ids)")
        params["package_ids"] = list(package_ids)
    rows = _execute(
        "SELECT package_id, judge_id, criterion, score, scored_at FROM odconf_hackathon.score "
        f"WHERE {' AND '.join(conditions)} ORDER BY package_id, judge_id, criterion", **params)
    # a scorecard is written in one transaction, so its rows share one time
    cards: dict[tuple[str, str], dict[str, float]] = {}
    given: dict[tuple[str, str], datetime.datetime] = {}
    for row in rows:
        cards.setdefault((row.package_id, row.judge_id), {})[row.criterion] = row.score
        given[(row.package_id, row.judge_id)] = row.scored_at
    return [(Scorecard(package_id, judge_id, scores), given[(package_id, judge_id)])
            for (package_id, judge_id), scores in cards.items()]


def published_results(conference_id: str) -> Optional[dict[str, Any]]:
    """The results an edition's committee published: ``published_at``,
    ``published_by`` (a user id), ``normalised`` and ``ranking``; None before."""
    row = _execute("SELECT published_at, published_by, normalised, ranking "
                   "FROM odconf_hackathon.results WHERE conference_id = :conference_id",
                   conference_id=conference_id).first()
    return dict(row._mapping) if row is not None else None


def save_results(
    conference_id: str, published_by: str, normalised: bool, ranking: Mapping[str, Any],
) -> datetime.datetime:
    """Record an edition's published results, in the session's transaction;
    when they were published."""
    return _execute(
        "INSERT INTO odconf_hackathon.results (conference_id, published_at, published_by, "
        "normalised, ranking) VALUES (:conference_id, now(), :published_by, :normalised, "
        "CAST(:ranking AS jsonb)) RETURNING published_at",
        conference_id=conference_id, published_by=published_by, normalised=normalised,
        ranking=json.dumps(ranking, ensure_ascii=False)).scalar()
