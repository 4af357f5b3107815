"""Without ``odconf_search`` in ``ckan.plugins``, CKAN searches Solr exactly as stock."""
from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[2]

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
    print(sorted(m for m in sys.modules if m.startswith("ckanext.odconf")))
""")


def test_stock_solr_path_when_the_plugin_is_not_enabled(tmp_path):
    ini = tmp_path / "solr.ini"
    ini.write_text((ROOT / "test.ini").read_text(encoding="utf-8")
                   .replace("ckan.plugins = odconf_search odconf scheming_datasets scheming_groups",
                            "ckan.plugins =\nsolr_url = http://127.0.0.1:8983/solr/ckan-production")
                   .replace("%(here)s", str(ROOT)), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", PROBE, str(ini)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    connection, modules, loaded = result.stdout.strip().splitlines()[-3:]
    assert connection == "pysolr http://127.0.0.1:8983/solr/ckan-production"
    assert modules == "ckan.lib.search.common ckan.lib.search.common"
    assert loaded == "[]"
