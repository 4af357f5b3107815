"""Command line: ``ckan odconf load`` and ``ckan odconf export``."""
from __future__ import annotations

import os
import sys
from typing import Any, Optional

import click

import ckan.plugins.toolkit as tk

from ckanext.odconf import loader, programme as programmes, yamltext
from ckanext.odconf.logic import conference as conferences

PROGRAMMES_DIR = os.path.join(os.path.dirname(__file__), "programmes")


@click.group(short_help="The conference catalogue: load and export programmes.")
def odconf() -> None:
    """Load a conference programme into the catalogue, or export one."""


def _programme_path(argument: str) -> str:
    """A file path, or the name of a programme shipped with the extension."""
    if os.path.exists(argument):
        return argument
    bundled = os.path.join(PROGRAMMES_DIR, argument + ".yaml")
    return bundled if os.path.exists(bundled) else argument


def _fail(problems: list[Any], what: str) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.secho(f"{len(problems)} problem(s) {what}; nothing was written.", fg="red", err=True)
    sys.exit(1)


@odconf.command("load")
@click.argument("programme_file", metavar="PROGRAMME")
@click.option("--examples", is_flag=True,
              help="Also add example datasets for every theme, room and topic, and "
                   "example hackathon projects (tagged 'example').")
@click.option("--dry-run", is_flag=True,
              help="Check everything and report what would change, without writing.")
def load(programme_file: str, examples: bool, dry_run: bool) -> None:
    """Load a programme file (or a bundled one by name, e.g. nodc-2024).

    Creates or updates the organisations it names, its reference entries and the
    conference group. The whole file is checked first and every problem is
    reported with its line; if anything fails, nothing is written.
    """
    path = _programme_path(programme_file)
    try:
        programme = programmes.read_programme(path, conferences.catalogue_names())
        stages = loader.plan(programme, with_examples=examples)
        total = sum(len(stage) for stage in stages)
        with click.progressbar(length=total, label=f"Loading {programme.edition}",
                               file=sys.stderr) as bar:
            report = loader.apply(programme, stages, dry_run=dry_run,
                                  progress=lambda change: bar.update(1))
    except programmes.ProgrammeError as error:
        _fail(error.problems, f"found in {path}")
        return
    except loader.LoadFailed as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(1)
    for label in report.created:
        click.echo(f"{'would create' if dry_run else 'created'} {label}")
    for label in report.updated:
        click.echo(f"{'would update' if dry_run else 'updated'} {label}")
    click.echo(f"{programme.edition}: {report.summary()}")


def _export_data(edition: str) -> dict[str, Any]:
    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    group = tk.get_action("group_show")(dict(context), {"id": edition, "include_datasets": False})
    if group.get("type") != conferences.CONFERENCE_TYPE or group.get("state") != "active":
        raise tk.ObjectNotFound(f'"{edition}" is not an active conference')
    references = []
    for name in group.get("references") or []:
        try:
            reference = tk.get_action("package_show")(dict(context), {"id": name})
        except tk.ObjectNotFound:
            continue
        # drafts and deleted entries are not part of the programme: a file
        # loads everything active, so writing them would publish them
        if reference["state"] == "active":
            references.append(reference)
    without_organisations = programmes.programme_from_catalogue(group, [], references)
    organisations = [
        tk.get_action("organization_show")(dict(context), {"id": name, "include_datasets": False})
        for name in programmes.named_organisations(without_organisations)
    ]
    return programmes.programme_from_catalogue(group, organisations, references)


@odconf.command("export")
@click.argument("edition")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of the standard output.")
def export(edition: str, output: Optional[str]) -> None:
    """Write a conference edition as a programme file that loads back the same."""
    try:
        data = _export_data(edition)
    except tk.ObjectNotFound as error:
        click.secho(f"Conference {edition} not found: {error}", fg="red", err=True)
        sys.exit(1)
    text = (
        f"# Programme of {edition}, exported from the catalogue by `ckan odconf export`.\n"
        + yamltext.dump(data)
    )
    if output:
        with open(output, "w", encoding="utf-8") as stream:
            stream.write(text)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def get_commands() -> list[Any]:
    """The commands this extension adds to ``ckan`` (IClick)."""
    return [odconf]
