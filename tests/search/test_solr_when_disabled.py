"""Without ``odconf_search`` in ``ckan.plugins``, CKAN searches Solr exactly as stock;
with it alone, the backend loads nothing of the conference code."""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent("""
    import sys
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    make_app(load_config(sys.argv[1]))
    import ckan.lib.search as search
    import pysolr
    connection = search.make_connection()
    print(type(connection).__module__, connection.url)
    print(search.index.make_connection.__module__, search.query.make_connection.__module__)
    print(" ".join(sorted(m for m in sys.modules if m.startswith("ckanext.odconf"))))
""")

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The plugins README.rst names for a site on Apache Solr (its config-tool command).
SOLR_PLUGINS = re.search(r'"ckan\.plugins = ([^"]+)" "solr_url',
                         (ROOT / "README.rst").read_text(encoding="utf-8")).group(1)
SOLR_URL = "http://127.0.0.1:8983/solr/ckan-production"
#: CKAN reads the logging sections from the file it is given, not from the one it uses.
LOGGING = textwrap.dedent("""
    [loggers]
    keys = root
    [handlers]
    keys = console
    [formatters]
    keys = generic
    [logger_root]
    level = WARNING
    handlers = console
    [handler_console]
    class = StreamHandler
    args = (sys.stderr,)
    formatter = generic
    [formatter_generic]
    format = %%(levelname)s %%(name)s %%(message)s
""")


def _probe(tmp_path: pathlib.Path, ini_path: str, plugins: str) -> list[str]:
    """Start CKAN in a fresh interpreter with ``plugins``; the probe's three lines."""
    ini = tmp_path / "probe.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{pathlib.Path(ini_path).resolve()}\n"
        f"ckan.plugins = {plugins}\nsolr_url = {SOLR_URL}\n" + LOGGING,
        encoding="utf-8",
    )
    result = subprocess.run([sys.executable, "-c", PROBE, str(ini)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")[-4:-1]  # each line ends with a newline


def _in_backend(module: str) -> bool:
    return module == "ckanext.odconf.search" or module.startswith("ckanext.odconf.search.")


@pytest.fixture
def ini_path(request: pytest.FixtureRequest) -> str:
    """The configuration this test session runs with (``--ckan-ini``)."""
    return str(request.config.getoption("--ckan-ini"))


def test_stock_solr_path_when_no_plugin_is_enabled(tmp_path, ini_path):
    connection, modules, loaded = _probe(tmp_path, ini_path, "")
    assert connection == f"pysolr {SOLR_URL}"
    assert modules == "ckan.lib.search.common ckan.lib.search.common"
    assert loaded == ""


def test_the_documented_solr_plugins_are_the_test_plugins_but_the_backend():
    test_ini = (ROOT / "test.ini").read_text(encoding="utf-8")
    tested = re.search(r"^ckan\.plugins = (.+)$", test_ini, re.M).group(1).split()
    assert SOLR_PLUGINS.split() == [name for name in tested if name != "odconf_search"]


def test_the_documented_solr_set_up_imports_nothing_of_the_search_backend(tmp_path, ini_path):
    connection, modules, loaded = _probe(tmp_path, ini_path, SOLR_PLUGINS)
    assert connection == f"pysolr {SOLR_URL}"
    assert modules == "ckan.lib.search.common ckan.lib.search.common"
    assert "ckanext.odconf.plugin" in loaded.split()  # the conference is there
    assert [name for name in loaded.split() if _in_backend(name)] == []


def test_the_search_backend_imports_nothing_of_the_conference_code(tmp_path, ini_path):
    _connection, _modules, loaded = _probe(tmp_path, ini_path, "odconf_search")
    # the package, the backend and the shared text analysis (not conference code)
    outside = [name for name in loaded.split()
               if name not in ("ckanext.odconf", "ckanext.odconf.khmer")
               and not _in_backend(name)]
    assert "ckanext.odconf.search.plugin" in loaded.split()
    assert outside == []
