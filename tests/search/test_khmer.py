"""Khmer is written without spaces: words inside a Khmer run are still found."""
from __future__ import annotations

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.odconf.search.analysis import khmer_words, segment_khmer

from .conftest import SEARCH_ONLY

pytestmark = SEARCH_ONLY

# "Open data for inclusive development", as one unspaced Khmer run.
TITLE = "ទិន្នន័យបើកចំហសម្រាប់ការអភិវឌ្ឍប្រកបដោយបរិយាប័ន្ន"


def found(q: str) -> list[str]:
    return [d["name"] for d in call_action("package_search", q=q)["results"]]


def test_icu_splits_a_khmer_run_into_words():
    words = khmer_words("ទិន្នន័យបើកចំហ")
    assert words == ["ទិន្នន័យ", "បើកចំហ"]
    assert segment_khmer("NODC ទិន្នន័យបើកចំហ 2024") == "NODC ទិន្នន័យ បើកចំហ 2024"
    assert segment_khmer(segment_khmer(TITLE)) == segment_khmer(TITLE)


def test_a_word_inside_a_khmer_title_is_found():
    factories.Dataset(name="nodc-km", title=TITLE)
    factories.Dataset(name="other", title="ការអប់រំ")
    assert found("បើកចំហ") == ["nodc-km"]
    assert found("អភិវឌ្ឍ") == ["nodc-km"]
    assert found("title:ទិន្នន័យ") == ["nodc-km"]
    assert found("ការអប់រំ") == ["other"]


def test_khmer_words_in_notes_and_phrases():
    # "national budget for the year 2024"; ICU's dictionary keeps the
    # compound "national budget" (ថវិកាជាតិ) as one word.
    factories.Dataset(name="budget", title="Budget", notes="ថវិកាជាតិសម្រាប់ឆ្នាំ២០២៤")
    assert found("ថវិកាជាតិ") == ["budget"]
    assert found("សម្រាប់") == ["budget"]
    assert found('"ថវិកាជាតិសម្រាប់"') == ["budget"]
    assert found('"សម្រាប់ថវិកាជាតិ"') == []
