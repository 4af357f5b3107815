"""Template helpers of the portal's pages and of every page's frame."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from markupsafe import Markup

from ckanext.odconf.showcase.charts import text_language
from ckanext.odconf.translation import current_language, default_language


def odconf_site_title() -> str:
    """The catalogue's name, in the page's language (header, page titles, footer)."""
    return tk._("National Open Data Conference catalogue")


def odconf_lang_attribute(text: Any) -> Markup:
    """`` lang="en"`` for a name without Khmer letters shown on a Khmer page (an
    organisation, a licence, a presenter), so that it is marked as English; else nothing."""
    lang = text_language(str(text or ""), current_language() or default_language())
    return Markup(' lang="{}"').format(lang) if lang else Markup("")


def get_helpers() -> dict[str, Callable[..., Any]]:
    """The portal's helpers (ITemplateHelpers)."""
    helpers: tuple[Callable[..., Any], ...] = (odconf_site_title, odconf_lang_attribute)
    return {fn.__name__: fn for fn in helpers}
