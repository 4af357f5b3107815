"""The programme in Khmer, marked as the project's translation awaiting the
organisers' review, and how pages show a text that has no Khmer yet."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers
from ckanext.scheming.helpers import scheming_get_group_schema
from flask_babel import force_locale

from ckanext.odconf.logic.translations import programme_texts
from tests.conftest import NODC_2024
from tests.logic.entries import valid_dataset

EDITION = "nodc-2024"
MARK = "មិនទាន់បានបកប្រែ"  # "not yet translated"


def test_the_file_says_its_khmer_awaits_review() -> None:
    text = open(NODC_2024, encoding="utf-8").read()
    assert "\ntranslation_status:\n  km: awaiting-review\n" in text
    assert "the project's translation" in text  # and its comment says whose


@pytest.mark.usefixtures("nodc")
class TestLoadedProgramme:
    def test_every_text_of_the_programme_has_khmer(self) -> None:
        group = helpers.call_action("group_show", id=EDITION)
        texts = programme_texts(group, scheming_get_group_schema("conference"))
        assert len(texts) >= 36 + 2 + 5  # sessions, days, themes and more
        assert [".".join(map(str, text.path)) for text in texts if not text.value.get("km")] == []
        agenda = group["agenda"]
        assert len(agenda) == 36 and all(session["title"].get("km") for session in agenda)
        assert group["hackathon"]["description"]["km"].startswith("ក្រុមនានា")

    def test_every_reference_has_a_khmer_title_and_description(self) -> None:
        group = helpers.call_action("group_show", id=EDITION)
        for name in group["references"]:
            reference = helpers.call_action("package_show", id=name)
            assert reference["title_translated"].get("km"), name
            if (reference.get("notes_translated") or {}).get("en"):
                assert reference["notes_translated"].get("km"), name

    def test_the_loader_keeps_the_translation_status(self) -> None:
        group = helpers.call_action("group_show", id=EDITION)
        assert group["translation_status"] == {"km": "awaiting-review"}

    def test_the_translation_queue_finds_nothing_left_in_the_programme(self) -> None:
        report = helpers.call_action("odconf_translation_queue", id=EDITION)
        assert report["programme"]["missing"] == [] and report["programme"]["share"] == 1.0

    @pytest.mark.usefixtures("with_request_context")
    def test_the_status_in_the_page_language(self) -> None:
        with force_locale("km"):
            status = tk.h.odconf_translation_status(EDITION, "km")
        assert status == {"status": "awaiting-review",
                          "label": "បកប្រែដោយគម្រោង និងកំពុងរង់ចាំការពិនិត្យពីអ្នករៀបចំ"}
        assert tk.h.odconf_translation_status(EDITION, "en") is None  # English is the original

    def test_the_conference_page_shows_it_in_khmer_only(self, app: Any) -> None:
        assert "បកប្រែដោយគម្រោង និងកំពុងរង់ចាំការពិនិត្យពីអ្នករៀបចំ" in app.get(f"/km/conference/{EDITION}").body
        assert "awaiting review" not in app.get(f"/conference/{EDITION}").body


# Text without Khmer -------------------------------------------------------------


@pytest.mark.usefixtures("with_request_context")
class TestTranslatedHtml:
    """``h.odconf_translated_html``, which every page uses for translated values."""

    def test_text_in_the_page_language_is_shown_as_it_is(self) -> None:
        with force_locale("km"):
            html = tk.h.odconf_translated_html({"en": "Schools", "km": "សាលារៀន"}, language="km")
        assert html == "សាលារៀន"

    def test_english_on_a_khmer_page_is_marked(self) -> None:
        with force_locale("km"):
            html = tk.h.odconf_translated_html({"en": "Teachers"}, language="km")
        assert html == ('<span class="odconf-text" lang="en">Teachers</span> '
                        f'<small class="odconf-untranslated badge bg-light text-dark">{MARK}</small>')

    def test_a_plain_string_is_english(self) -> None:
        with force_locale("km"):
            assert 'lang="en">Open Development Cambodia' in tk.h.odconf_translated_html(
                "Open Development Cambodia", language="km")
        assert tk.h.odconf_translated_html("Open Development Cambodia", language="en") == (
            "Open Development Cambodia")

    def test_khmer_only_on_an_english_page_is_marked_too(self) -> None:
        with force_locale("en"):
            html = tk.h.odconf_translated_html({"km": "សាលារៀន"}, language="en")
        assert html.startswith('<span class="odconf-text" lang="km">សាលារៀន</span>')
        assert "not yet translated" in html

    def test_markdown_in_a_block(self) -> None:
        with force_locale("km"):
            html = tk.h.odconf_translated_html({"en": "**Bold** text"}, markdown=True, language="km")
        assert html.startswith('<div class="odconf-text" lang="en"><p><strong>Bold</strong> text</p>')
        assert html.endswith(f"{MARK}</small>")

    def test_text_is_escaped_and_can_be_cut(self) -> None:
        html = tk.h.odconf_translated_html({"en": "<script>alert(1)</script>"}, language="en")
        assert html == "&lt;script&gt;alert(1)&lt;/script&gt;"
        cut = tk.h.odconf_translated_html({"en": "Open data for better public services"},
                                          truncate=20, language="en")
        assert cut == "Open data for…"  # at most 20 characters, cut at a space
        assert tk.h.odconf_translated_html({}, language="km") == ""
        assert tk.h.odconf_translated_html(None, language="km") == ""


@pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
def test_a_dataset_description_without_khmer_is_marked_on_the_khmer_page(
        app: Any, conference: dict[str, Any]) -> None:
    sysadmin = factories.Sysadmin()
    helpers.call_action("package_create", {"user": sysadmin["name"]},
                        **valid_dataset(notes_translated={"en": "Enrolment by province."}))
    khmer = app.get("/km/dataset/schools-2023").body
    assert 'lang="en"><p>Enrolment by province.</p>' in khmer
    assert MARK in khmer and "សាលារៀន ២០២៣" in khmer  # the title has its Khmer
    english = app.get("/dataset/schools-2023").body
    assert "Enrolment by province." in english and "not yet translated" not in english
