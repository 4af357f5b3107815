"""Which licences a catalogue entry may carry (config ``odconf.licenses``)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk


def accepted_licenses() -> list[tuple[str, str]]:
    """``(id, title)`` of every accepted licence, in configuration order.

    ``odconf.licenses`` lists the accepted ids; when it is empty, every licence
    of CKAN's licence list that is marked open is accepted.
    """
    register = model.Package.get_license_register()
    configured = tk.config.get("odconf.licenses") or []
    if configured:
        titles = {license.id: license.title for license in register.values()}
        return [(license_id, titles.get(license_id, license_id)) for license_id in configured]
    return [(license.id, license.title) for license in register.values() if license.isopen()]
