"""The pages of a dataset and of a reference: the dataset's place in the
conference as links, its licence, its references and the hackathon projects
using it; what a reference is and who refers to it. Nothing hidden from the
visitor is named."""
from __future__ import annotations

import re
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.conftest import statements_run

from .conftest import dataset, get

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def reference(name: str, **fields: Any) -> dict[str, Any]:
    """A reference entry of organisation ``odc-test``."""
    sysadmin = factories.Sysadmin()
    data = {"type": "reference", "name": name, "owner_org": "odc-test", "document_kind": "survey",
            "title_translated": {"en": f"Publication {name}"}, **fields}
    return helpers.call_action("package_create", {"user": sysadmin["name"]}, **data)


@pytest.fixture
def references(catalogue: dict[str, Any]) -> dict[str, Any]:
    """``schools-2023`` refers to a public survey, a private study of its
    publisher and an outside report; a private dataset refers to the survey."""
    reference("survey-2020", publication_date="2020-05", url="https://example.org/survey",
              title_translated={"en": "Schools survey", "km": "ការស្ទង់មតិសាលារៀន"})
    reference("internal-study", private=True, document_kind="study")
    sysadmin = factories.Sysadmin()
    helpers.call_action("package_patch", {"user": sysadmin["name"]}, id="schools-2023", references=[
        "survey-2020", "internal-study", "https://example.org/report"])
    helpers.call_action("package_patch", {"user": sysadmin["name"]}, id="private-schools",
                        references=["survey-2020"])
    return catalogue


def test_the_dataset_in_the_programme_as_links(app: Any, catalogue: dict[str, Any]) -> None:
    body = get(app, "/dataset/schools-2023")
    summary = body[body.index('class="odconf-entry-summary"'):body.index("</section>", body.index('class="odconf-entry-summary"'))]
    assert '<dd data-field="conference"><a href="/conference/odc-test-2025">Test Conference 2025</a></dd>' in summary
    assert '<dd data-field="theme"><a href="/conference/odc-test-2025/education">Open Data for Education</a></dd>' in summary
    assert '<dd data-field="topic"><a href="/conference/odc-test-2025/education?topic=schools">Schools</a></dd>' in summary
    assert '<a href="/conference/odc-test-2025#session-breakout">Breakout</a>' in summary
    assert "day 2" in summary and "09:00" in summary
    # they are not repeated, as plain values, in the table of the other fields
    table = body[body.index('class="additional-info"'):]
    table = table[:table.index("</table>")]
    assert "data-field" not in table and "odc-test-2025" not in table


def test_the_licence_by_name_with_its_link_and_open_mark(app: Any, catalogue: dict[str, Any]) -> None:
    body = get(app, "/dataset/schools-2023")
    licence = re.search(r'<dd data-field="licence">(.*?)</dd>', body, flags=re.S).group(1)  # type: ignore[union-attr]
    assert '<a href="http://www.opendefinition.org/licenses/cc-by" rel="license">Creative Commons Attribution</a>' in licence
    assert ">Open licence</span>" in licence
    assert "Open Definition" in licence


@pytest.mark.ckan_config("odconf.licenses", "cc-by cc-by-sa odc-odbl other-closed")
def test_a_licence_that_is_not_open_has_no_mark(app: Any, catalogue: dict[str, Any]) -> None:
    dataset("closed-data", license_id="other-closed")
    body = get(app, "/dataset/closed-data")
    licence = re.search(r'<dd data-field="licence">(.*?)</dd>', body, flags=re.S).group(1)  # type: ignore[union-attr]
    assert "Other (Not Open)" in licence and "Open licence" not in licence
    # the control: an open one has it
    assert "Open licence</span>" in get(app, "/dataset/schools-2023")


def test_references_name_only_what_the_visitor_may_read(app: Any, references: dict[str, Any]) -> None:
    for visitor in (None, "outsider", "member"):
        body = get(app, "/dataset/schools-2023", references[visitor] if visitor else None)
        block = body[body.index('class="odconf-entry-references"'):]
        block = block[:block.index("</section>")]
        assert '<a href="/reference/survey-2020">Schools survey</a>' in block
        assert "Survey" in block and "2020-05" in block
        assert '<a href="https://example.org/report" rel="nofollow">' in block
        assert "Not checked yet" in block  # the link checker's status
        # the private study: named to members of its publisher only
        assert ("internal-study" in body) == (visitor == "member"), visitor


def test_used_by_hackathon_projects(app: Any, catalogue: dict[str, Any]) -> None:
    body = get(app, "/dataset/schools-2023")
    assert "Used by hackathon projects" in body
    assert "No hackathon project uses this dataset yet." in body


def test_the_dataset_page_in_khmer(app: Any, references: dict[str, Any]) -> None:
    body = get(app, "/km/dataset/schools-2023")
    assert "សាលារៀន ២០២៣" in body  # the title
    assert '<a href="/km/conference/odc-test-2025">សន្និសីទសាកល្បង ២០២៥</a>' in body
    assert "ការស្ទង់មតិសាលារៀន" in body  # the reference's Khmer title
    # the description has no Khmer text: English, marked
    assert re.search(r'<div class="odconf-text" lang="en">\s*<p>Enrolment by province.</p>', body)


def test_the_reference_page(app: Any, nodc: Any) -> None:
    body = get(app, "/reference/open-data-survey-2020")
    summary = body[body.index('class="odconf-entry-summary"'):]
    summary = summary[:summary.index("</section>")]
    assert '<dd data-field="document_kind">Survey</dd>' in summary
    assert ">Open Development Cambodia Organization (ODC)</a>" in summary
    assert "2020-05-31" in summary
    assert "Link not yet available" in summary
    # the session of the conference that presents it
    assert '<a href="/conference/nodc-2024#session-' in summary
    assert "Finding of the Open Data Survey in 2020" in summary


def test_the_reference_link_and_its_status(app: Any, references: dict[str, Any]) -> None:
    body = get(app, "/reference/survey-2020")
    link = re.search(r'<dd data-field="url">(.*?)</dd>', body, flags=re.S).group(1)  # type: ignore[union-attr]
    assert '<a href="https://example.org/survey" rel="nofollow">' in link and "Not checked yet" in link


def test_referenced_by_lists_only_what_the_visitor_may_read(app: Any, references: dict[str, Any]) -> None:
    for visitor in (None, "outsider", "member"):
        body = get(app, "/reference/survey-2020", references[visitor] if visitor else None)
        block = body[body.index('class="odconf-referencing-datasets"'):]
        assert 'href="/dataset/schools-2023"' in block
        assert ('href="/dataset/private-schools"' in block) == (visitor == "member"), visitor


@pytest.mark.ckan_config("odconf_search.result_cache_ttl", "0")
def test_statements_do_not_grow_with_references(app: Any, references: dict[str, Any]) -> None:
    def page(name: str) -> Any:
        return lambda: get(app, f"/dataset/{name}")

    for number in range(4):
        reference(f"study-{number}")
    dataset("many-references", references=[f"study-{number}" for number in range(4)] + [
        f"https://example.org/report-{number}" for number in range(3)])
    dataset("one-reference", references=["study-0", "https://example.org/report-0"])
    # each page once first: what a process reads once and keeps (site caches) is not
    # what this compares
    page("many-references")()
    page("one-reference")()
    assert statements_run(page("many-references")) == statements_run(page("one-reference"))
    # the control: the larger page does list them all
    body = get(app, "/dataset/many-references")
    assert body.count("data-reference=") == 4 and body.count("data-reference-url=") == 3
