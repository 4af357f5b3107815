"""Which licences a catalogue entry may carry (config ``odconf.licenses``)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk


def accepted_licences() -> list[tuple[str, str]]:
    """``(id, title)`` of every accepted licence, in configuration order.

    ``odconf.licenses`` lists the accepted ids; when it is empty, every licence
    of CKAN's licence list that is marked open is accepted.
    """
    register = model.Package.get_license_register()
    configured = tk.config.get("odconf.licenses") or []
    if configured:
        titles = {licence.id: licence.title for licence in register.values()}
        return [(licence_id, titles.get(licence_id, licence_id)) for licence_id in configured]
    return [(licence.id, licence.title) for licence in register.values() if licence.isopen()]
