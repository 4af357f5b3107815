"""The Khmer measurement itself, on pages whose answer is known (no CKAN site needed)."""
from __future__ import annotations

from typing import Any, Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.khmer_share import classify, measure

PAGE = """<!DOCTYPE html>
<html lang="km"><head><title>Title is not counted</title>
<style>.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}</style></head>
<body>
  <a class="sr-only" href="#main">រំលងទៅមាតិកាចម្បង</a>
  <h1>សំណុំទិន្នន័យ</h1>
  <p>រកឃើញសំណុំទិន្នន័យ 13</p>
  <p>Data and Resources</p>
  <p><span lang="en">Open Data for Journalism</span> <small>មិនទាន់បានបកប្រែ</small></p>
  <p translate="no">Phnom Penh</p>
  <p>Open Development Cambodia Organization (ODC)</p>
  <p>https://example.org/data.csv</p>
  <p>2024-03-26 08:30</p>
  <p>CSV</p>
  <p>Run <code>ckan odconf load</code></p>
  <p>Facebook</p>
  <p>អង្គការ Open Development Cambodia (ODC) រៀបចំសន្និសីទ</p>
  <p style="display:none">Hidden English</p>
  <div hidden>Also hidden</div>
  <input placeholder="Search datasets..." aria-label="ស្វែងរក">
  <img alt="ឡូហ្គោ" src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==" width="10" height="10">
  <svg width="100" height="20" role="img"><text x="0" y="15">ចំនួន</text></svg>
  <script>document.write("")</script>
</body></html>"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_content(PAGE)
    yield page
    context.close()


def test_counts_visible_words_and_the_khmer_among_them(page: Page) -> None:
    found = measure(page, proper_names=["Open Development Cambodia Organization (ODC)"])
    assert sorted(found.english) == ["Data and Resources", "Run", "Search datasets..."]
    assert "សំណុំទិន្នន័យ" in found.khmer and "រំលងទៅមាតិកាចម្បង" in found.khmer  # read out, so counted
    assert {"ស្វែងរក", "ឡូហ្គោ", "ចំនួន", "មិនទាន់បានបកប្រែ"} <= set(found.khmer)
    assert "អង្គការ Open Development Cambodia (ODC) រៀបចំសន្និសីទ" in found.khmer
    assert sorted(found.marked) == ["Open Data for Journalism", "Phnom Penh", "ckan odconf load"]
    assert sorted(found.not_words) == sorted([
        "2024-03-26 08:30", "CSV", "Facebook", "Open Development Cambodia Organization (ODC)",
        "https://example.org/data.csv"])
    assert found.words == len(found.khmer) + 3
    assert found.share == pytest.approx(len(found.khmer) / found.words)
    assert "Hidden English" not in found.english + found.khmer and "Title is not counted" not in str(found.english)


def test_a_name_given_as_proper_is_left_out_whole() -> None:
    pieces: list[dict[str, Any]] = [
        {"text": "The Asia Foundation (TAF)", "lang": "km"},
        {"text": "Presenters: The Asia Foundation", "lang": "km"},
    ]
    found = classify(pieces, proper_names=["The Asia Foundation", "The Asia Foundation (TAF)"])
    assert found.not_words == ["The Asia Foundation (TAF)"]
    assert found.english == ["Presenters: The Asia Foundation"]  # "Presenters" is a word to translate


def test_addresses_and_names_cut_short_are_not_words() -> None:
    pieces = [{"text": text, "lang": "km"} for text in (
        "catalog.data.gov", "127.0.0.1:5000/km/dataset/", "https://", "Open Development...",
        "Open Data...")]
    found = classify(pieces, proper_names=["Open Development Cambodia Organization (ODC)"])
    assert found.english == ["Open Data..."]  # no name starts so


def test_no_words_is_all_khmer() -> None:
    assert classify([{"text": "13", "lang": "km"}]).share == 1.0
