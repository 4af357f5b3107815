"""Khmer is written without spaces: words inside a Khmer run are still found."""
from __future__ import annotations

import sys
import threading

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.odconf.khmer import khmer_inner_words, khmer_words, segment_khmer

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


def test_threads_segment_at_the_same_time_without_mixing_their_texts():
    # Long texts of different lengths, so that one thread's words would show
    # in another's result; thread switches forced as often as Python allows.
    texts = [TITLE * (10 + n) + "ថវិកាជាតិ" * n for n in range(40)]
    expected = [segment_khmer(text) for text in texts]
    results: list[tuple[int, str]] = []

    def segment(first: int) -> None:
        for n in range(len(texts)):
            index = (first + n) % len(texts)
            results.append((index, segment_khmer(texts[index])))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        threads = [threading.Thread(target=segment, args=(7 * k,)) for k in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert len(results) == 240
    assert [n for n, result in results if result != expected[n]] == []


def test_words_inside_a_khmer_compound_are_listed_apart():
    # ICU keeps "national budget" (ថវិកាជាតិ) and "responsibility" whole.
    assert khmer_words("ថវិកាជាតិ") == ["ថវិកាជាតិ"]
    assert khmer_inner_words("ថវិកាជាតិសម្រាប់ឆ្នាំ២០២៤").split() == ["ថវិកា", "ជាតិ"]
    assert set(khmer_inner_words("ការទទួលខុសត្រូវ").split()) >= {"ទទួល", "ខុស", "ត្រូវ"}
    # The longest first word wins where several cuts are words.
    assert khmer_inner_words("ត្រឹមតែ").split() == ["ត្រឹម", "តែ"]
    assert khmer_inner_words("ជាតិ Budget 2024") == ""


def test_a_word_inside_a_compound_is_found_below_the_word_itself():
    # Indexed first, the compound would come first on equal rank.
    factories.Dataset(name="national-budget", title="ថវិកាជាតិ")
    factories.Dataset(name="budget", title="ថវិកា")
    factories.Dataset(name="noted", title="Commune", notes="ថវិកាជាតិសម្រាប់ឆ្នាំ២០២៤")
    assert found("ថវិកា")[0] == "budget"
    assert set(found("ថវិកា")) == {"budget", "national-budget", "noted"}
    assert set(found("ជាតិ")) == {"national-budget", "noted"}
    assert found("ថវិកាជាតិ")[0] == "national-budget"
    assert found("title:ជាតិ") == []
