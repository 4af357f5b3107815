"""Wiring of the ``odconf`` plugin: the conference catalogue.

This module only connects CKAN interfaces to the functions that do the work
in the other modules of the package.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.odconf import cli, helpers
from ckanext.odconf.logic import validators


@tk.blanket.config_declarations
class OdconfPlugin(p.SingletonPlugin):
    """The National Open Data Conference catalogue."""

    p.implements(p.IConfigurer)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IClick)

    # IConfigurer

    def update_config(self, config: "tk.CKANConfig") -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")

    # IValidators, ITemplateHelpers, IClick

    def get_validators(self) -> dict[str, Any]:
        return validators.get_validators()

    def get_helpers(self) -> dict[str, Any]:
        return helpers.get_helpers()

    def get_commands(self) -> list[Any]:
        return cli.get_commands()
