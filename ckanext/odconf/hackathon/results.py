"""The hackathon's results: the ranking, and its publication by the committee.

Until the committee (admins of the edition's hackathon organisation, and
sysadmins) publishes the results, the ranking is theirs alone and is computed
from the scores as they stand (:mod:`ranking`; normalised per judge when
``odconf.hackathon.normalise_scores`` is on). Publishing records the ranking
once and for all (judges can no longer change a score), sets the ``award`` of
the winning projects through ``package_patch`` (the one write allowed to set
one, :data:`projects.PUBLISHING_RESULTS`) and makes the ranking public. To
anyone who may not read a ranked project, its row shows its place and scores
but not which project it is.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.odconf.hackathon import access, projects, scores
from ckanext.odconf.hackathon.judging import (
    Hackathon, conference_schema, edition_projects, hackathon, hackathon_or_404,
)
from ckanext.odconf.hackathon.ranking import PLACES, Scorecard, Standing, award, rank
from ckanext.odconf.logic import schema

NORMALISE_OPTION = "odconf.hackathon.normalise_scores"
#: Decimals of the means and totals the API gives.
DECIMALS = 4
#: Fields of a project a ranking row names it by.
PROJECT_FIELDS = ("title", "title_translated", "team_name")


def normalise_scores() -> bool:
    """Whether rankings normalise each judge's scores (the declared option)."""
    return bool(tk.config.get(NORMALISE_OPTION))


def _rounded(values: Mapping[str, float]) -> dict[str, float]:
    return {slug: round(value, DECIMALS) for slug, value in values.items()}


def _standing_dict(standing: Standing, project: Mapping[str, Any], found: Hackathon) -> dict[str, Any]:
    judging = found.judging
    assert judging is not None
    awarded = found.conference.hackathon.get("awarded_teams", len(PLACES))
    return {
        "place": standing.place,
        "id": project["id"],
        "project": project["name"],
        **{name: project.get(name) for name in PROJECT_FIELDS},
        "award": award(standing.place, awarded or 0, judging.honourable_mentions),
        "judges": standing.judges,
        "means": _rounded(standing.means),
        "weighted": _rounded(standing.weighted),
        "total": round(standing.total, DECIMALS),
    }


def compute_ranking(found: Hackathon) -> dict[str, Any]:
    """The ranking of an edition's scorable projects from the scores as they
    stand, with the award each place would receive.

    :returns: ``criteria`` (``slug``, ``title``, ``weight``), ``normalised``,
        ``standings`` (see :func:`odconf_hackathon_ranking`) and ``unscored``:
        projects without a complete scorecard
    """
    judging = found.judging
    if judging is None:
        raise tk.ValidationError({"conference": [
            tk._("This hackathon has no judging criteria: the programme declares none")]})
    normalise = normalise_scores()
    entered = {project["id"]: project for project in edition_projects({"ignore_auth": True}, found)}
    cards = [
        Scorecard(entered[card.project]["name"], card.judge, card.scores)
        for card, _scored_at in scores.scorecards(found.conference.id)
        if card.project in entered
    ]
    by_name = {project["name"]: project for project in entered.values()}
    standings = [_standing_dict(standing, by_name[standing.project], found)
                 for standing in rank(cards, judging.criteria, normalise)]
    ranked = {standing["project"] for standing in standings}
    return {
        "criteria": [{"slug": criterion.slug, "title": dict(criterion.title),
                      "weight": criterion.weight} for criterion in judging.criteria],
        "normalised": normalise,
        "standings": standings,
        "unscored": [dict({"id": project["id"], "project": project["name"]},
                          **{name: project.get(name) for name in PROJECT_FIELDS})
                     for project in entered.values() if project["name"] not in ranked],
    }


def _as_seen_by(user_name: Optional[str], found: Hackathon, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranking rows with the projects the user may not read left unnamed."""
    if found.is_committee(user_name):
        return rows
    seen = []
    for row in rows:
        package = model.Package.get(row["id"])
        if package is not None and package.state == "active" \
                and access.may_read_project(user_name, package):
            seen.append(dict(row, project=package.name))
        else:
            seen.append(dict(row, id=None, project=None, **{name: None for name in PROJECT_FIELDS}))
    return seen


def odconf_hackathon_ranking(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The ranking of an edition's hackathon projects: for the committee at any
    time (as the scores stand), for everyone once the results are published
    (as they were published).

    Each project's mean on a criterion is the mean of its judges' scores
    (normalised per judge when ``odconf.hackathon.normalise_scores`` is on); its
    total is the weighted mean of those. Ties are broken by the criteria in
    order of weight (heaviest first, then in programme order), then by project
    name.

    :param conference: the edition's name, e.g. ``nodc-2024``
    :type conference: string

    :returns: ``conference``; ``published`` (boolean) and ``published_at``;
        ``normalised`` (boolean); ``criteria`` (``slug``, ``title``,
        ``weight``); ``standings``, best first: ``place``, ``id``, ``project``
        (name), ``title``, ``title_translated``, ``team_name`` (all null for a
        project the caller may not read), ``award`` (what publication gives or
        gave), ``judges`` (how many scored it), ``means`` and ``weighted``
        (each criterion's mean score and its weighted share, by slug) and
        ``total`` (the weighted mean); ``unscored``: projects with no complete
        scorecard (committee only)
    :rtype: dictionary
    """
    data = schema.validate(data_dict, conference_schema(), context)
    found = hackathon_or_404(data["conference"])
    tk.check_access("odconf_hackathon_ranking", context, {"conference": found.conference.name})
    published = scores.published_results(found.conference.id)
    if published is None:
        ranking = compute_ranking(found)
        published_at = None
    else:
        ranking = published["ranking"]
        published_at = published["published_at"].isoformat()
    user = context.get("user")
    return {
        "conference": found.conference.name,
        "published": published is not None,
        "published_at": published_at,
        "normalised": ranking["normalised"],
        "criteria": ranking["criteria"],
        "standings": _as_seen_by(user, found, ranking["standings"]),
        "unscored": ranking["unscored"] if found.is_committee(user) else [],
    }


@tk.auth_allow_anonymous_access
def odconf_hackathon_ranking_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """The committee; everyone once the results are published."""
    found = hackathon(data_dict.get("conference"))
    if found is not None and (found.is_committee(context.get("user"))
                              or scores.published_results(found.conference.id) is not None):
        return {"success": True}
    return {"success": False, "msg": tk._("The hackathon's results are not published yet")}


def odconf_hackathon_results_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish an edition's hackathon results (the committee only, once).

    Records the ranking as it stands, sets the ``award`` of the projects at
    the awarded places (``first``, ``second``, ``third`` for the programme's
    ``awarded_teams``, then ``honourable-mention`` for the judging's
    ``honourable_mentions``) and makes the ranking public. From then on judges
    can no longer change a score. All of it is written in one transaction.

    :param conference: the edition's name, e.g. ``nodc-2024``
    :type conference: string

    :returns: the published ranking (see ``odconf_hackathon_ranking``)
    :rtype: dictionary
    """
    data = schema.validate(data_dict, conference_schema(), context)
    found = hackathon_or_404(data["conference"])
    tk.check_access("odconf_hackathon_results_publish", context,
                    {"conference": found.conference.name})
    published = scores.published_results(found.conference.id)
    if published is not None:
        raise tk.ValidationError({"conference": [
            tk._("The results were already published on {date}").format(
                date=published["published_at"].date().isoformat())]})
    ranking = compute_ranking(found)
    if not ranking["standings"]:
        raise tk.ValidationError({"conference": [
            tk._("No project has a complete scorecard yet: there is nothing to publish")]})
    user = model.User.get(context["user"])
    assert user is not None
    try:
        for standing in ranking["standings"]:
            if standing["award"]:
                _set_award(context, standing)
        scores.save_results(found.conference.id, user.id, ranking["normalised"], ranking)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    return tk.get_action("odconf_hackathon_ranking")(
        {"user": context["user"]}, {"conference": found.conference.name})


def _set_award(context: Context, standing: Mapping[str, Any]) -> None:
    """Write a project's award, in the transaction of the publication."""
    try:
        tk.get_action("package_patch")(
            {"user": context["user"], projects.PUBLISHING_RESULTS: True, "defer_commit": True},
            {"id": standing["id"], "award": standing["award"]},
        )
    except tk.ValidationError as error:
        raise tk.ValidationError({"conference": [
            tk._('The award of "{project}" cannot be saved: {problem}').format(
                project=standing["project"],
                problem="; ".join(f"{field}: {message}"
                                  for field, message in error.error_summary.items()))]})


def odconf_hackathon_results_publish_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """The committee: admins of the hackathon organisation, and sysadmins."""
    found = hackathon(data_dict.get("conference"))
    if found is not None and found.is_committee(context.get("user")):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only the hackathon committee can publish the results")}


def published_ranking(edition: str) -> Optional[dict[str, Any]]:
    """The published ranking of an edition as the current user may see it, or
    None before publication (the template helper ``odconf_hackathon_results``)."""
    found = hackathon(edition)
    if found is None or scores.published_results(found.conference.id) is None:
        return None
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    return tk.get_action("odconf_hackathon_ranking")({"user": user}, {"conference": edition})


def hackathon_pages(edition: str) -> dict[str, Optional[str]]:
    """The addresses of the judging pages of an edition the current user may
    open (the template helper ``odconf_hackathon_pages``, for links): ``judging``
    for its judges, ``results`` for the committee and, once published, everyone."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    pages: dict[str, Optional[str]] = {}
    for page, action in (("judging", "odconf_hackathon_judging_show"),
                         ("results", "odconf_hackathon_ranking")):
        try:
            tk.check_access(action, dict(context), {"conference": edition})
            pages[page] = tk.url_for(f"odconf_judging.{page}_page", edition=edition)
        except tk.NotAuthorized:
            pages[page] = None
    return pages


def get_actions() -> dict[str, Callable[..., Any]]:
    """The results actions (IActions)."""
    return {
        "odconf_hackathon_ranking": odconf_hackathon_ranking,
        "odconf_hackathon_results_publish": odconf_hackathon_results_publish,
    }


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    """Their auth functions (IAuthFunctions)."""
    return {
        "odconf_hackathon_ranking": odconf_hackathon_ranking_auth,
        "odconf_hackathon_results_publish": odconf_hackathon_results_publish_auth,
    }


def get_helpers() -> dict[str, Callable[..., Any]]:
    """Template helpers (ITemplateHelpers)."""
    return {"odconf_hackathon_results": published_ranking, "odconf_hackathon_pages": hackathon_pages}
