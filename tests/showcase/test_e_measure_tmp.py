from typing import Any
import collections, traceback
import pytest
import ckan.model as model
from sqlalchemy import event
from ckan.tests import helpers, factories

@pytest.mark.ckan_config("odconf_search.result_cache_ttl", "0")
@pytest.mark.usefixtures("nodc_with_examples")
def test_measure(app: Any) -> None:
    url = "/conference/nodc-2024/education"
    app.get(url)
    model.Session.remove()
    where = collections.Counter()
    def count(_c, _cu, statement, *_a):
        frames = [l.split("\n")[0].strip() for l in traceback.format_stack() if "/ckanext/odconf/" in l or "ckan/logic/action" in l]
        where[(frames[0] if frames else "?")[:150] + " :: " + statement.split()[0] + " " + " ".join(statement.split()[1:6])[:80]] += 1
    event.listen(model.meta.engine, "before_cursor_execute", count)
    app.get(url)
    event.remove(model.meta.engine, "before_cursor_execute", count)
    for k, v in where.most_common():
        print("S", v, k)
