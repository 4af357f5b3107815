"""A cached result names the index it was computed on, not only a counter.

Two sites may share a Redis and a ``ckan.site_id`` (CKAN's default is
``default``): here, this test database and a second one, ``<database>_other_site``,
created next to it with CKAN's and this plugin's tables, as CKAN's own search
suite has (tests/search/test_ckan_suite.py, same site id and Redis as the rest
of ``make test``). Both count their committed index changes from 0.
"""
from __future__ import annotations

import contextlib
import os
import pathlib
import subprocess
import sys
from typing import Any, Iterator

import pytest
from ckan import model
from ckan.common import config
from ckan.lib import search
from ckan.tests import factories
from ckan.tests.helpers import call_action
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from ckanext.odconf.search import transaction

from .conftest import SEARCH_ONLY

pytestmark = SEARCH_ONLY + [pytest.mark.ckan_config("odconf_search.result_cache_ttl", "600")]


@pytest.fixture(scope="module")
def other_site() -> Iterator[Engine]:
    """The database of a second site, with CKAN's and this plugin's tables."""
    url = make_url(config["sqlalchemy.url"])
    name = f"{url.database}_other_site"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": name}).scalar():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    other_url = url.set(database=name)
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=other_url.render_as_string(hide_password=False))
    ckan = pathlib.Path(sys.executable).parent / "ckan"
    for args in (["db", "init"], ["db", "upgrade", "-p", "odconf_search"]):
        subprocess.run([str(ckan), "-c", config["__file__"], *args],
                       check=True, env=env, capture_output=True)
    engine = create_engine(other_url)
    yield engine
    engine.dispose()


@contextlib.contextmanager
def on_database(engine: Engine) -> Iterator[None]:
    """CKAN works on ``engine``'s database within the block, as the other site does."""
    model.Session.remove()
    model.Session.configure(bind=engine)
    try:
        yield
    finally:
        model.Session.remove()
        model.Session.configure(bind=model.meta.engine)


def found(**params: Any) -> list[str]:
    context = {"user": "", "ignore_auth": False}
    return [d["name"] for d in call_action("package_search", context=context, **params)["results"]]


def generation() -> int:
    return model.Session.execute(text("SELECT value FROM odconf_search.generation")).scalar()


def test_a_result_cached_on_one_database_is_never_served_for_another(other_site):
    factories.Dataset(name="budgets", title="Commune budgets")
    assert found(q="budgets") == ["budgets"]  # computed here, and cached
    reached = generation()
    with on_database(other_site):
        # The other site's catalogue and index have nothing of this one's,
        # and its counter stands where this one's does.
        model.repo.delete_all()
        model.Session.execute(text("DELETE FROM odconf_search.document"))
        model.Session.execute(text("UPDATE odconf_search.generation SET value = :value"),
                              {"value": reached})
        model.Session.commit()
        assert found(q="budgets") == []
        factories.Dataset(name="schools", title="Commune schools")
        assert found(q="commune") == ["schools"]  # cached for the other site
    assert found(q="commune") == ["budgets"]


def test_results_are_still_cached_until_the_index_changes(other_site):
    factories.Dataset(name="budgets", title="Commune budgets")
    with on_database(other_site):
        assert found(q="budgets") == []
    assert found(q="budgets") == ["budgets"]
    # Behind the backend's back, the index loses the dataset without a new
    # state: the cached result still answers, as it should until a change.
    model.Session.execute(text("DELETE FROM odconf_search.document"))
    model.Session.commit()
    assert found(q="budgets") == ["budgets"]
    # Its own words: CKAN's factory draws random English ones, "budget" among them.
    factories.Dataset(name="another", title="Another", notes="Unrelated")
    assert found(q="budgets") == []


def test_clearing_or_changing_the_index_names_a_new_state():
    names = [transaction.index_state(model.Session)]
    factories.Dataset(name="budgets")
    names.append(transaction.index_state(model.Session))
    search.clear_all()  # ckan search-index clear
    names.append(transaction.index_state(model.Session))
    identifiers = [name.split(".")[0] for name in names]
    generations = [int(name.split(".")[1]) for name in names]
    assert len(set(identifiers)) == 3
    assert generations == sorted(set(generations))
