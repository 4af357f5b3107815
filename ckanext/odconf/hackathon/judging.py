"""Judges and their scores.

The judges of an edition are the users with CKAN's ``member`` capacity in its
hackathon organisation (``<edition>-hackathon``); its admins are the committee
(:mod:`access`). The committee names judges on the organisation's Members
page, as it manages any membership; no programme file needs to name a person.

A judge gives each submitted project of the edition one scorecard: a whole
number on the programme's scale for every criterion (:mod:`criteria`). A judge
never scores a project whose team they are in, sees and changes only their own
scores, and scores no more once the results are published (:mod:`results`).
Scores live in the extension's own table (:mod:`scores`), never in a dataset.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict, Schema, Validator

from ckanext.odconf.hackathon import access, projects, scores
from ckanext.odconf.hackathon.criteria import Criterion, Judging
from ckanext.odconf.logic import schema
from ckanext.odconf.logic.conference import Conference, get_conference
from ckanext.odconf.logic.values import allowed, shown

#: The organisation capacity that makes a user a judge.
JUDGE_CAPACITY = "member"
#: Project statuses judges score (a draft is not ready to be judged).
SCORABLE = (projects.SUBMITTED, projects.PUBLISHED)
#: The most projects of one edition the judging page and the ranking read.
MAX_PROJECTS = 1000


@dataclass(frozen=True)
class Hackathon:
    """An edition's hackathon: its conference, organisation and judging."""

    conference: Conference
    organisation: model.Group
    judging: Optional[Judging]

    def is_committee(self, user_name: Optional[str]) -> bool:
        """Whether a user is in the committee (an admin of the organisation, or a sysadmin)."""
        return access.is_committee(user_name, self.organisation.id)

    def is_judge(self, user_name: Optional[str]) -> bool:
        """Whether a user is a judge (a ``member`` of the organisation)."""
        return bool(user_name) and authz.users_role_for_group_or_org(
            self.organisation.id, user_name) == JUDGE_CAPACITY


def hackathon(edition: Any) -> Optional[Hackathon]:
    """The hackathon of an edition (name or id), if the edition has one."""
    conference = get_conference(edition) if isinstance(edition, str) else None
    organisation = projects.hackathon_organisation(conference.name) if conference else None
    if conference is None or organisation is None:
        return None
    return Hackathon(conference, organisation, Judging.from_hackathon(conference.hackathon))


def hackathon_or_404(edition: Any) -> Hackathon:
    """The hackathon of an edition; ObjectNotFound when it has none."""
    found = hackathon(edition)
    if found is None:
        raise tk.ObjectNotFound(tk._("Hackathon not found"))
    return found


def in_team(user_name: Optional[str], package: model.Package) -> bool:
    """Whether a user is in a project's team: a collaborator, or listed in
    ``team_members`` (the two are kept in step; either is enough to step aside)."""
    return access.is_team_member(user_name, package) or (
        bool(user_name) and user_name in projects.stored_list(package, "team_members"))


def _refused(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _judge_refusal(found: Optional[Hackathon], user_name: Optional[str]) -> Optional[str]:
    if found is None or not found.is_judge(user_name):
        return tk._("Only the judges of this hackathon can score its projects")
    return None


# Input ---------------------------------------------------------------------


@tk.validator_args
def score_set_schema(not_empty: Validator, odconf_text: Validator) -> Schema:
    """``odconf_hackathon_score_set``: ``project`` and ``scores``."""
    return {"project": [not_empty, odconf_text], "scores": [not_empty, schema.odconf_mapping]}


@tk.validator_args
def score_list_schema(not_empty: Validator, ignore_missing: Validator,
                      odconf_text: Validator) -> Schema:
    """``odconf_hackathon_score_list``: ``conference``, optional ``judge`` and ``project``."""
    return {"conference": [not_empty, odconf_text], "judge": [ignore_missing, odconf_text],
            "project": [ignore_missing, odconf_text]}


@tk.validator_args
def conference_schema(not_empty: Validator, odconf_text: Validator) -> Schema:
    """Actions given an edition: ``conference``."""
    return {"conference": [not_empty, odconf_text]}


def score_problems(judging: Judging, given: Mapping[str, Any]) -> list[str]:
    """What is wrong with a scorecard: unknown criteria, scores that are not
    whole numbers on the scale, criteria left without a score."""
    slugs = [criterion.slug for criterion in judging.criteria]
    unknown = [slug for slug in given if slug not in slugs]
    if unknown:
        return [tk._('Unknown criterion "{slug}"; the criteria are: {allowed}').format(
            slug=shown(slug), allowed=allowed(slugs)) for slug in unknown[:len(slugs)]]
    on_scale = schema.odconf_whole_number(judging.scale_min, judging.scale_max)
    problems = []
    for slug in slugs:
        if slug not in given or given[slug] in (None, ""):
            problems.append(tk._("{criterion}: a score is required").format(criterion=slug))
            continue
        try:
            on_scale(given[slug], {})
        except tk.Invalid as error:
            problems.append(f"{slug}: {error.error}")
    return problems


def _checked_scores(judging: Judging, given: Mapping[str, Any]) -> dict[str, int]:
    problems = score_problems(judging, given)
    if problems:
        raise tk.ValidationError({"scores": problems})
    on_scale = schema.odconf_whole_number(judging.scale_min, judging.scale_max)
    return {criterion.slug: on_scale(given[criterion.slug], {}) for criterion in judging.criteria}


# Reading projects ------------------------------------------------------------


def _readable_project(context: Context, name_or_id: str) -> model.Package:
    """An active project the caller may read; ObjectNotFound otherwise, with
    the message of a project that does not exist (drafts stay hidden)."""
    package = projects.project_package(name_or_id)
    if package is None or package.state != "active" or not (
            context.get("ignore_auth") or access.may_read_project(context.get("user"), package)):
        raise tk.ObjectNotFound(tk._("Project not found"))
    return package


def edition_projects(context: Context, found: Hackathon) -> list[dict[str, Any]]:
    """The scorable projects of an edition the caller may read, as
    ``package_search`` gives them, by title."""
    quoted = '"' + found.conference.name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    result = tk.get_action("package_search")(
        {"user": context.get("user", ""), "ignore_auth": bool(context.get("ignore_auth"))},
        {"fq": f"+dataset_type:{projects.PROJECT_TYPE} +conference:{quoted}",
         "rows": MAX_PROJECTS, "include_private": True, "sort": "title_string asc"},
    )
    return [project for project in result["results"]
            if project.get("project_status") in SCORABLE]


def _project_summary(project: Mapping[str, Any]) -> dict[str, Any]:
    return {name: project.get(name) for name in (
        "id", "name", "title", "title_translated", "tagline", "team_name", "challenge_theme",
        "project_status")}


def _scorecard_dict(found: Hackathon, package: model.Package, judge: model.User,
                    card_scores: Mapping[str, float], scored_at: Any) -> dict[str, Any]:
    return {"conference": found.conference.name, "project": package.name,
            "project_title": package.title, "judge": judge.name,
            "scores": {slug: int(score) for slug, score in card_scores.items()},
            "scored_at": scored_at.isoformat()}


# Actions ---------------------------------------------------------------------


def odconf_hackathon_score_set(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record the caller's scorecard of a hackathon project (judges only).

    The scorecard replaces the judge's earlier one for the project. Refused
    (403) to anyone but the edition's judges, to a judge in the project's
    team, and once the results are published; a draft cannot be scored.

    :param project: the project's id or name
    :type project: string
    :param scores: a score for every criterion of the edition, by criterion
        slug: whole numbers on the edition's scale, e.g.
        ``{"use-of-open-data": 4, "impact": 5, "feasibility": 3, "presentation": 4}``
    :type scores: dictionary

    :returns: the scorecard: ``conference``, ``project`` (name),
        ``project_title``, ``judge`` (user name), ``scores`` and ``scored_at``
    :rtype: dictionary
    """
    data = schema.validate(data_dict, score_set_schema(), context)
    package = _readable_project(context, data["project"])
    tk.check_access("odconf_hackathon_score_set", context, {"project": package.id})
    found = hackathon_or_404(package.extras.get("conference"))
    if found.judging is None:
        raise tk.ValidationError({"scores": [
            tk._("This hackathon has no judging criteria: the programme declares none")]})
    if projects.stored_status(package) not in SCORABLE:
        raise tk.ValidationError({"project": [
            tk._("This project is a draft: it can be scored once its team submits it")]})
    checked = _checked_scores(found.judging, data["scores"])
    judge = model.User.get(context["user"])
    assert judge is not None  # the auth function admitted only judges
    scores.replace_scorecard(found.conference.id, package.id, judge.id, checked,
                             (found.judging.scale_min, found.judging.scale_max))
    if not context.get("defer_commit"):
        model.Session.commit()
    card, scored_at = scores.scorecards(found.conference.id, judge.id, [package.id])[0]
    return _scorecard_dict(found, package, judge, card.scores, scored_at)


@tk.auth_sysadmins_check
def odconf_hackathon_score_set_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """The edition's judges, not on their own team's project, until the
    results are published; sysadmins too (one scores only as a judge)."""
    user = context.get("user")
    package = projects.project_package(data_dict.get("project"))
    found = hackathon(package.extras.get("conference")) if package is not None else None
    refusal = _judge_refusal(found, user)
    if refusal:
        return _refused(refusal)
    assert found is not None and package is not None
    if in_team(user, package):
        return _refused(tk._("You are in this project's team, so you cannot score it"))
    if scores.published_results(found.conference.id) is not None:
        return _refused(tk._("The results are published: scores can no longer change"))
    return {"success": True}


def odconf_hackathon_score_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The scorecards a judge gave in an edition's hackathon: the caller's own;
    the committee may name any judge. A judge naming another judge is refused (403).

    :param conference: the edition's name, e.g. ``nodc-2024``
    :type conference: string
    :param judge: (optional) the judge's user name or id; the caller by default
    :type judge: string
    :param project: (optional) only this project's scorecard (id or name)
    :type project: string

    :returns: ``conference``, ``judge`` (user name) and ``scorecards``: a list
        of scorecards (``project``, ``project_title``, ``scores``, ``scored_at``)
        by project name
    :rtype: dictionary
    """
    data = schema.validate(data_dict, score_list_schema(), context)
    found = hackathon_or_404(data["conference"])
    tk.check_access("odconf_hackathon_score_list", context,
                    {"conference": found.conference.name, "judge": data.get("judge")})
    judge = model.User.get(data.get("judge") or context.get("user") or "")
    if judge is None:
        raise tk.ObjectNotFound(tk._("User not found"))
    package_ids: Optional[Iterable[str]] = None
    if data.get("project"):
        package_ids = [_readable_project(context, data["project"]).id]
    cards = scores.scorecards(found.conference.id, judge.id, package_ids)
    packages = {package.id: package for package in model.Session.query(model.Package).filter(
        model.Package.id.in_([card.project for card, _ in cards]))}
    scorecards = [
        _scorecard_dict(found, packages[card.project], judge, card.scores, scored_at)
        for card, scored_at in cards if card.project in packages
    ]
    return {"conference": found.conference.name, "judge": judge.name,
            "scorecards": sorted(scorecards, key=lambda item: item["project"])}


@tk.auth_sysadmins_check
def odconf_hackathon_score_list_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """A judge for their own scores; the committee for any judge's."""
    user = context.get("user")
    found = hackathon(data_dict.get("conference"))
    if found is not None and found.is_committee(user):
        return {"success": True}
    refusal = _judge_refusal(found, user)
    if refusal:
        return _refused(refusal)
    named = model.User.get(data_dict.get("judge") or "") if data_dict.get("judge") else None
    if data_dict.get("judge") and (named is None or named.name != user):
        return _refused(tk._("A judge can see only their own scores"))
    return {"success": True}


def odconf_hackathon_judging_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What a judge needs to score an edition's projects (the judging page).

    :param conference: the edition's name, e.g. ``nodc-2024``
    :type conference: string

    :returns: ``conference`` (``name``, ``title``, ``title_translated``),
        ``scale`` (``min``, ``max``), ``criteria`` (each with ``slug``,
        ``title``, ``weight``, ``description`` and ``anchors``: ``score``,
        ``description``), ``results_published`` (boolean), ``projects``: the
        submitted projects the judge scores (``name``, ``title``,
        ``title_translated``, ``tagline``, ``team_name``, ``challenge_theme``,
        ``project_status``, and the judge's ``scores`` and ``scored_at``, null
        until scored), and ``own_team``: submitted projects of the judge's own
        team, which they do not score
    :rtype: dictionary
    """
    data = schema.validate(data_dict, conference_schema(), context)
    found = hackathon_or_404(data["conference"])
    tk.check_access("odconf_hackathon_judging_show", context, {"conference": found.conference.name})
    judge = model.User.get(context["user"])
    assert judge is not None
    given = {card.project: (card.scores, scored_at)
             for card, scored_at in scores.scorecards(found.conference.id, judge.id)}
    to_score, own_team = [], []
    for project in edition_projects(context, found):
        package = model.Package.get(project["id"])
        if package is not None and in_team(judge.name, package):
            own_team.append(_project_summary(project))
            continue
        card_scores, scored_at = given.get(project["id"], (None, None))
        to_score.append(dict(
            _project_summary(project),
            scores={slug: int(score) for slug, score in card_scores.items()} if card_scores else None,
            scored_at=scored_at.isoformat() if scored_at else None))
    judging = found.judging
    return {
        "conference": {"name": found.conference.name, "title": found.conference.title,
                       "title_translated": dict(found.conference.title_translated)},
        "scale": {"min": judging.scale_min, "max": judging.scale_max} if judging else None,
        "criteria": [criterion_dict(criterion) for criterion in judging.criteria] if judging else [],
        "results_published": scores.published_results(found.conference.id) is not None,
        "projects": to_score,
        "own_team": own_team,
    }


@tk.auth_sysadmins_check
def odconf_hackathon_judging_show_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """The edition's judges."""
    refusal = _judge_refusal(hackathon(data_dict.get("conference")), context.get("user"))
    return _refused(refusal) if refusal else {"success": True}


def criterion_dict(criterion: Criterion) -> dict[str, Any]:
    """A criterion as the API gives it."""
    return {"slug": criterion.slug, "title": dict(criterion.title), "weight": criterion.weight,
            "description": dict(criterion.description),
            "anchors": [{"score": anchor.score, "description": dict(anchor.description)}
                        for anchor in criterion.anchors]}


def get_actions() -> dict[str, Callable[..., Any]]:
    """The judging actions (IActions)."""
    return {
        "odconf_hackathon_score_set": odconf_hackathon_score_set,
        "odconf_hackathon_score_list": odconf_hackathon_score_list,
        "odconf_hackathon_judging_show": odconf_hackathon_judging_show,
    }


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    """Their auth functions (IAuthFunctions)."""
    return {
        "odconf_hackathon_score_set": odconf_hackathon_score_set_auth,
        "odconf_hackathon_score_list": odconf_hackathon_score_list_auth,
        "odconf_hackathon_judging_show": odconf_hackathon_judging_show_auth,
    }
