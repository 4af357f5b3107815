"""The translation queue: ``/conference/<edition>/translations``.

For the editors of a conference's organisers (and sysadmins): the share of the
conference translated into Khmer, the texts of its programme and the entries
still without Khmer, each with a link to the form that edits it. The page only
shows what the action ``odconf_translation_queue`` answers for the visitor.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page

blueprint = Blueprint("odconf_translations", __name__)

#: Untranslated entries listed per page.
ROWS = 50


def _page_number() -> int:
    value = tk.request.args.get("page", "1")
    if not value.isdigit() or not 1 <= int(value) <= 100000:
        tk.abort(400, tk._('Parameter "{name}" is not a page number').format(name="page"))
    return int(value)


@blueprint.route("/conference/<edition>/translations")
def queue(edition: str) -> str:
    """The page; 404 for an unknown edition, 403 for anyone but its organisers' editors."""
    page_number = _page_number()
    context: dict[str, Any] = {
        "user": tk.current_user.name if tk.current_user.is_authenticated else None}
    try:
        report = tk.get_action("odconf_translation_queue")(
            context, {"id": edition, "rows": ROWS, "start": (page_number - 1) * ROWS})
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, tk._("Conference not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._(
            "Only editors of the conference's organisers can see its translation queue"))
    entries = report["entries"]
    pager = Page(
        collection=[], page=page_number, item_count=entries["total"] - entries["translated"],
        items_per_page=ROWS, presliced_list=True,
        url=lambda page, **_ignored: tk.h.url_for("odconf_translations.queue", edition=edition, page=page))
    return tk.render("odconf/translation_queue.html", {"report": report, "page": pager})


def get_blueprints() -> list[Blueprint]:
    """The translation queue's blueprint (IBlueprint)."""
    return [blueprint]
