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
from ckanext.odconf.dcat import (
    actions as dcat_actions, helpers as dcat_helpers, views as dcat_views)
from ckanext.odconf.hackathon import (
    criteria as judging_criteria, judging, judging_views, results as hackathon_results,
)
from ckanext.odconf.hackathon import (
    access as hackathon_access, actions as hackathon_actions, helpers as hackathon_helpers,
    outputs as hackathon_outputs, projects as hackathon_projects,
    validators as hackathon_validators, views as hackathon_views,
)
from ckanext.odconf.logic import (
    action, auth, entry_input, search_input, translations, validators, visibility,
)
from ckanext.odconf.links import jobs as link_jobs, logic as link_logic, views as link_views
from ckanext.odconf.showcase import theme as theme_views, translations as translation_views
from ckanext.odconf.showcase import views as portal_views


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
    p.implements(p.IPermissionLabels)
    p.implements(p.IResourceController, inherit=True)

    # IConfigurer

    def update_config(self, config: "tk.CKANConfig") -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "assets")
        tk.add_resource("assets", "odconf")
        hackathon_projects.configure(config)

    # IValidators, IActions, IAuthFunctions, ITemplateHelpers, IClick, IBlueprint

    def get_validators(self) -> dict[str, Any]:
        return {**validators.get_validators(), **judging_criteria.get_validators(),
                **hackathon_validators.get_validators()}

    def get_actions(self) -> dict[str, Any]:
        return {
            **action.get_actions(),
            **visibility.get_actions(),
            **search_input.get_actions(),
            **entry_input.get_actions(),
            **link_logic.get_actions(),
            **dcat_actions.get_actions(),
            **hackathon_actions.get_actions(),
            **judging.get_actions(),
            **hackathon_results.get_actions(),
            **translations.get_actions(),
        }

    def get_auth_functions(self) -> dict[str, Any]:
        return {
            **{name: getattr(auth, name) for name in action.get_actions()},
            **visibility.get_auth_functions(),
            **link_logic.get_auth_functions(),
            **hackathon_actions.get_auth_functions(),
            **judging.get_auth_functions(),
            **hackathon_results.get_auth_functions(),
            **translations.get_auth_functions(),
        }

    def get_helpers(self) -> dict[str, Any]:
        return {**helpers.get_helpers(), **hackathon_helpers.get_helpers(),
                **hackathon_results.get_helpers(), **dcat_helpers.get_helpers()}

    def get_commands(self) -> list[Any]:
        return cli.get_commands()

    def get_blueprint(self) -> list[Any]:
        return [*portal_views.get_blueprints(), *dcat_views.get_blueprints(), *link_views.get_blueprints(),
                *theme_views.get_blueprints(),
                *hackathon_views.get_blueprints(), *translation_views.get_blueprints(),
                *judging_views.get_blueprints()]

    # IMiddleware

    def make_middleware(self, app: Any, config: "tk.CKANConfig") -> Any:
        return request_guards.make_middleware(app)

    # IPackageController

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        hackathon_projects.sync_team(context, pkg_dict)
        link_jobs.enqueue_entry(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        entry_input.after_dataset_update(context, pkg_dict)
        hackathon_projects.sync_team(context, pkg_dict)
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

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return hackathon_access.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return hackathon_access.user_labels(user_obj)

    # IResourceController

    def before_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        hackathon_outputs.before_resource_create(context, resource)

    def before_resource_update(
        self, context: Any, current: dict[str, Any], resource: dict[str, Any]
    ) -> None:
        hackathon_outputs.before_resource_update(context, current, resource)
