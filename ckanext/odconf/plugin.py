"""Wiring of the ``odconf`` plugin: the conference catalogue.

This module only connects CKAN interfaces to the functions that do the work
in the other modules of the package.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.odconf import cli, helpers, request_guards, search_hooks
from ckanext.odconf.dcat import actions as dcat_actions, views as dcat_views
from ckanext.odconf.logic import action, auth, entry_input, search_input, validators, visibility
from ckanext.odconf.links import jobs as link_jobs, logic as link_logic, views as link_views


@tk.blanket.config_declarations
class OdconfPlugin(p.SingletonPlugin, DefaultTranslation):
    """The National Open Data Conference catalogue."""

    p.implements(p.IConfigurer)
    p.implements(p.IValidators)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IClick)
    p.implements(p.ITranslation)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IBlueprint)

    # IConfigurer

    def update_config(self, config: "tk.CKANConfig") -> None:
        tk.add_template_directory(config, "templates")

    # IValidators, IActions, IAuthFunctions, ITemplateHelpers, IClick, IBlueprint

    def get_validators(self) -> dict[str, Any]:
        return validators.get_validators()

    def get_actions(self) -> dict[str, Any]:
        return {
            **action.get_actions(),
            **visibility.get_actions(),
            **search_input.get_actions(),
            **entry_input.get_actions(),
            **link_logic.get_actions(),
            **dcat_actions.get_actions(),
        }

    def get_auth_functions(self) -> dict[str, Any]:
        return {
            **{name: getattr(auth, name) for name in action.get_actions()},
            **visibility.get_auth_functions(),
            **link_logic.get_auth_functions(),
        }

    def get_helpers(self) -> dict[str, Any]:
        return helpers.get_helpers()

    def get_commands(self) -> list[Any]:
        return cli.get_commands()

    def get_blueprint(self) -> list[Any]:
        return [*dcat_views.get_blueprints(), *link_views.get_blueprints()]

    # IMiddleware

    def make_middleware(self, app: Any, config: "tk.CKANConfig") -> Any:
        return request_guards.make_middleware(app)

    # IPackageController

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        link_jobs.enqueue_entry(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        entry_input.after_dataset_update(context, pkg_dict)
        link_jobs.enqueue_entry(pkg_dict)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        visibility.after_dataset_show(context, pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search_hooks.before_dataset_index(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search_hooks.before_dataset_search(search_params)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return search_hooks.after_dataset_search(search_results, search_params)

    # IFacets

    def dataset_facets(
        self, facets_dict: "OrderedDict[str, Any]", package_type: str
    ) -> "OrderedDict[str, Any]":
        return search_hooks.dataset_facets(facets_dict)

    def group_facets(
        self, facets_dict: "OrderedDict[str, Any]", group_type: str,
        package_type: Optional[str],
    ) -> "OrderedDict[str, Any]":
        return search_hooks.dataset_facets(facets_dict)
