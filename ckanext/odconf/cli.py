"""Command line: ``ckan odconf load`` and ``ckan odconf export``."""
from __future__ import annotations

import sys
from typing import Any, Optional

import click

import ckan.plugins.toolkit as tk

from ckanext.odconf.links import cli as links_cli
from ckanext.odconf.logic import conference as conferences
from ckanext.odconf.programme import export as programme_export, load as programme_load, programme_path
from ckanext.odconf.programme.spec import ProgrammeError, read_programme


@click.group(short_help="The conference catalogue: load and export programmes.")
def odconf() -> None:
    """Load a conference programme into the catalogue, or export one."""


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
    path = programme_path(programme_file)
    try:
        programme = read_programme(path, conferences.catalogue_names())
        stages = programme_load.plan(programme, with_examples=examples)
        total = sum(len(stage) for stage in stages)
        bar: Any
        with click.progressbar(length=total, label=f"Loading {programme.edition}",
                               file=sys.stderr) as bar:
            report = programme_load.apply(programme, stages, dry_run=dry_run,
                                          progress=lambda change: bar.update(1))
    except ProgrammeError as error:
        _fail(error.problems, f"found in {path}")
        return
    except programme_load.LoadFailed as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(1)
    for label in report.created:
        click.echo(f"{'would create' if dry_run else 'created'} {label}")
    for label in report.updated:
        click.echo(f"{'would update' if dry_run else 'updated'} {label}")
    click.echo(f"{programme.edition}: {report.summary()}")


@odconf.command("export")
@click.argument("edition")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of the standard output.")
def export(edition: str, output: Optional[str]) -> None:
    """Write a conference edition as a programme file that loads back the same."""
    try:
        text = programme_export.programme_text(edition)
    except tk.ObjectNotFound as error:
        click.secho(f"Conference {edition} not found: {error}", fg="red", err=True)
        sys.exit(1)
    if output:
        with open(output, "w", encoding="utf-8") as stream:
            stream.write(text)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


odconf.add_command(links_cli.check_links)


def get_commands() -> list[Any]:
    """The commands this extension adds to ``ckan`` (IClick)."""
    return [odconf]
