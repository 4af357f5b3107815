"""Wiring of the ``odconf`` plugin: the conference catalogue.

This module only connects CKAN interfaces to the functions that do the work
in the other modules of the package.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@tk.blanket.config_declarations
class OdconfPlugin(p.SingletonPlugin):
    """The National Open Data Conference catalogue."""

    p.implements(p.IConfigurer)

    def update_config(self, config: "tk.CKANConfig") -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
