"""Pages of the judging and the results (thin Flask views over the actions).

- ``/hackathon/<edition>/judging``: a judge's page, the submitted projects
  with a form each (every criterion, its scale and what its scores mean);
  the form posts to ``/hackathon/<edition>/judging/<project>``;
- ``/hackathon/<edition>/results``: the ranking with each criterion's
  weighted mean; the committee sees it (and a button to publish it) before
  publication, everyone after; the publish button posts to
  ``/hackathon/<edition>/results/publish``.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from flask import Blueprint

judging = Blueprint("odconf_judging", __name__, url_prefix="/hackathon")

#: Form fields of a scorecard are named ``score-<criterion slug>``.
SCORE_FIELD = "score-"


def _user() -> Optional[str]:
    return tk.current_user.name if tk.current_user.is_authenticated else None


def _judging_page(edition: str, errors: Optional[dict[str, Any]] = None,
                  project: Optional[str] = None, given: Optional[dict[str, str]] = None,
                  status: int = 200) -> Any:
    if _user() is None:
        return tk.redirect_to("user.login", came_from=tk.url_for("odconf_judging.judging_page",
                                                                   edition=edition))
    try:
        page = tk.get_action("odconf_hackathon_judging_show")({"user": _user()},
                                                               {"conference": edition})
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, tk._("Hackathon not found"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("Only the judges of this hackathon can score its projects"))
    return tk.render("odconf/hackathon/judging.html", {
        "page": page, "edition": edition, "errors": errors or {}, "failed_project": project,
        "given": given or {},
    }), status


def judging_page(edition: str) -> Any:
    """The judge's page."""
    return _judging_page(edition)


def score(edition: str, project: str) -> Any:
    """Save a judge's scorecard from the form, then back to the page (at the project)."""
    if _user() is None:
        return tk.abort(403, tk._("Only the judges of this hackathon can score its projects"))
    given = {
        name[len(SCORE_FIELD):]: value for name, value in tk.request.form.items()
        if name.startswith(SCORE_FIELD)
    }
    try:
        tk.get_action("odconf_hackathon_score_set")(
            {"user": _user()}, {"project": project, "scores": given})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Project not found"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        return _judging_page(edition, error.error_dict, project, given, status=400)
    tk.h.flash_success(tk._("Your scores are saved."))
    return tk.redirect_to(tk.url_for("odconf_judging.judging_page", edition=edition,
                                     _anchor=f"project-{project}"))


def _messages(error: tk.ValidationError) -> list[str]:
    return [message for messages in error.error_dict.values() for message in messages]


def results_page(edition: str) -> Any:
    """The ranking: the committee's before publication, everyone's after."""
    user = _user()
    try:
        conference = tk.get_action("group_show")(
            {"user": user}, {"id": edition, "include_datasets": False, "include_users": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Hackathon not found"))
    ranking, problems = None, []
    try:
        ranking = tk.get_action("odconf_hackathon_ranking")({"user": user}, {"conference": edition})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Hackathon not found"))
    except tk.NotAuthorized:
        pass  # not published yet: the page says so
    except tk.ValidationError as error:
        problems = _messages(error)
    return tk.render("odconf/hackathon/results.html", {
        "edition": edition, "conference": conference, "ranking": ranking, "problems": problems,
    })


def publish(edition: str) -> Any:
    """Publish the results (the committee), then show them."""
    try:
        tk.get_action("odconf_hackathon_results_publish")({"user": _user()},
                                                          {"conference": edition})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Hackathon not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the hackathon committee can publish the results"))
    except tk.ValidationError as error:
        for message in _messages(error):
            tk.h.flash_error(message)
        return tk.redirect_to(tk.url_for("odconf_judging.results_page", edition=edition))
    tk.h.flash_success(tk._("The results are published."))
    return tk.redirect_to(tk.url_for("odconf_judging.results_page", edition=edition))


judging.add_url_rule("/<edition>/judging", view_func=judging_page, endpoint="judging_page")
judging.add_url_rule("/<edition>/judging/<project>", view_func=score, endpoint="score",
                     methods=["POST"])
judging.add_url_rule("/<edition>/results", view_func=results_page, endpoint="results_page")
judging.add_url_rule("/<edition>/results/publish", view_func=publish, endpoint="publish",
                     methods=["POST"])


def get_blueprints() -> list[Blueprint]:
    """The judging blueprint (IBlueprint)."""
    return [judging]
