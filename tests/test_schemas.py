"""The scheming schemas: conference groups, datasets and reference entries."""
from __future__ import annotations

import json

import pytest
from ckan.tests import factories, helpers
from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_get_group_schema

import ckan.model as model

# entries without an organisation keep these tests about the fields at hand
pytestmark = pytest.mark.ckan_config("ckan.auth.create_unowned_dataset", "true")


def labels_are_bilingual(fields: list[dict]) -> list[str]:
    """Fields whose label, or help text when the field is in the form, lacks
    English or Khmer."""
    missing = []
    for field in fields:
        in_form = field.get("form_snippet", "text.html") is not None
        for key in ("label", "help_text") if in_form else ("label",):
            text = field.get(key)
            if not isinstance(text, dict) or not text.get("en") or not text.get("km"):
                missing.append(f"{field['field_name']}.{key}")
    return missing


@pytest.mark.usefixtures("with_plugins")
class TestSchemasAreLoaded:
    def test_types(self):
        assert scheming_get_group_schema("conference")["group_type"] == "conference"
        assert scheming_get_dataset_schema("dataset")["dataset_type"] == "dataset"
        assert scheming_get_dataset_schema("reference")["dataset_type"] == "reference"

    @pytest.mark.parametrize("schema, fields", [
        ("conference", "fields"), ("dataset", "dataset_fields"), ("reference", "dataset_fields"),
        ("dataset", "resource_fields"), ("reference", "resource_fields"),
    ])
    def test_every_field_is_labelled_in_english_and_khmer(self, schema, fields):
        loaded = (scheming_get_group_schema(schema) if schema == "conference"
                  else scheming_get_dataset_schema(schema))
        assert labels_are_bilingual(loaded[fields]) == []

    def test_spatial_coverage_is_cambodia_and_its_25_provinces(self):
        schema = scheming_get_dataset_schema("dataset")
        field = next(f for f in schema["dataset_fields"] if f["field_name"] == "spatial_coverage")
        values = [choice["value"] for choice in field["choices"]]
        assert values[0] == "KH"
        assert values[1:] == [f"KH-{number}" for number in range(1, 26)]
        assert all(choice["label"]["km"] for choice in field["choices"])


class TestConferenceGroup:
    def test_nested_fields_round_trip(self, conference):
        shown = helpers.call_action("group_show", id=conference["name"])
        assert [item["id"] for item in shown["agenda"]] == ["opening", "breakout", "pitch"]
        assert shown["themes"][0]["topics"][0] == {"slug": "schools", "title": {"en": "Schools"}}
        assert shown["time_zone"] == "Asia/Phnom_Penh"
        assert shown["title"] == "Test Conference 2025"
        assert shown["title_translated"]["km"] == "សន្និសីទសាកល្បង ២០២៥"

    def test_group_patch_keeps_the_programme(self, conference):
        sysadmin = factories.Sysadmin()
        helpers.call_action("group_patch", {"user": sysadmin["name"]},
                            id=conference["name"], venue="CADT Innovation Center")
        shown = helpers.call_action("group_show", id=conference["name"])
        assert shown["venue"] == "CADT Innovation Center"
        assert len(shown["agenda"]) == 3 and len(shown["themes"]) == 3

    def test_json_strings_are_accepted(self, conference):
        sysadmin = factories.Sysadmin()
        helpers.call_action("group_patch", {"user": sysadmin["name"]}, id=conference["name"],
                            hackathon=json.dumps({"committee": "Jury", "awarded_teams": 2}))
        shown = helpers.call_action("group_show", id=conference["name"])
        assert shown["hackathon"] == {"committee": "Jury", "awarded_teams": 2}

    def test_yaml_text_as_typed_in_the_form(self, conference):
        sysadmin = factories.Sysadmin()
        helpers.call_action("group_patch", {"user": sysadmin["name"]}, id=conference["name"],
                            organisers="- odc-test\n",
                            hackathon="committee: Jury\nawarded_teams: 2\n")
        shown = helpers.call_action("group_show", id=conference["name"])
        assert shown["hackathon"] == {"committee": "Jury", "awarded_teams": 2}
        assert shown["organisers"] == ["odc-test"]

    def test_text_that_is_not_yaml(self, conference):
        sysadmin = factories.Sysadmin()
        with pytest.raises(helpers.logic.ValidationError) as raised:
            helpers.call_action("group_patch", {"user": sysadmin["name"]}, id=conference["name"],
                                hackathon="committee: [Jury")
        assert raised.value.error_dict["hackathon"][0].startswith("Not valid YAML or JSON: ")

    @pytest.mark.parametrize("change, field, message", [
        ({"agenda": [{"id": "a", "day": 1, "start": "10:00", "end": "09:00", "kind": "plenary",
                      "title": {"en": "A"}}]},
         "agenda", "agenda[0].end: end (09:00) must be later than start (10:00)"),
        ({"agenda": [{"id": "a", "day": 1, "start": "09:00", "end": "10:00", "kind": "keynote",
                      "title": {"en": "A"}}]},
         "agenda", 'agenda[0].kind: unknown kind "keynote"; allowed: registration, plenary, qa, '
                   "breakout, hackathon, break, networking"),
        ({"themes": [{"slug": "x", "kind": "theme", "session": "nowhere", "title": {"en": "X"}}]},
         "themes", 'themes[0].session: unknown session "nowhere"; allowed: breakout, opening, pitch'),
        ({"themes": [{"slug": "x", "kind": "theme", "session": "opening", "title": {"en": "X"}},
                     {"slug": "x", "kind": "room", "session": "opening", "title": {"en": "Y"}}]},
         "themes", 'themes[1].slug: duplicate slug "x" (first used at themes[0])'),
        ({"organisers": ["nobody"]}, "organisers",
         'organisers[0]: unknown organization "nobody"; allowed: odc-test'),
        ({"end_date": "2025-03-01"}, "end_date", "2025-03-01 is before start_date (2025-03-26)"),
        ({"time_zone": "Phnom Penh"}, "time_zone", 'Unknown time zone "Phnom Penh", e.g. Asia/Phnom_Penh'),
    ])
    def test_invalid_programme_is_refused(self, conference, change, field, message):
        sysadmin = factories.Sysadmin()
        with pytest.raises(helpers.logic.ValidationError) as raised:
            helpers.call_action("group_patch", {"user": sysadmin["name"]}, id=conference["name"],
                                **change)
        assert message in raised.value.error_dict[field]

    def test_nested_field_errors_in_khmer(self, app, conference):
        sysadmin = factories.Sysadmin()
        agenda = [{"id": "a", "day": 1, "start": "10:00", "end": "09:00", "kind": "keynote",
                   "title": {"en": "A"}}]
        with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "km"}):
            with pytest.raises(helpers.logic.ValidationError) as raised:
                helpers.call_action("group_patch", {"user": sysadmin["name"]},
                                    id=conference["name"], agenda=agenda)
        assert raised.value.error_dict["agenda"] == [
            "agenda[0].kind: មិនស្គាល់ kind «keynote»។ តម្លៃដែលអនុញ្ញាត៖ registration, plenary, "
            "qa, breakout, hackathon, break, networking",
            "agenda[0].end: end (09:00) ត្រូវតែក្រោយ start (10:00)",
        ]


class TestTranslatedTitles:
    def test_title_comes_from_the_translation(self, clean_db, with_plugins):
        dataset = factories.Dataset(
            title=None, license_id="cc-by",
            title_translated={"en": "School enrolment", "km": "ការចុះឈ្មោះចូលរៀន"},
            notes_translated={"en": "Pupils by province", "km": "សិស្សតាមខេត្ត"},
        )
        assert dataset["title"] == "School enrolment"
        assert dataset["notes"] == "Pupils by province"
        assert dataset["title_translated"] == {"en": "School enrolment", "km": "ការចុះឈ្មោះចូលរៀន"}

    def test_plain_title_becomes_the_english_translation(self, clean_db, with_plugins):
        dataset = factories.Dataset(title="Budget 2024", notes="Spending", license_id="cc-by")
        assert dataset["title_translated"] == {"en": "Budget 2024"}
        assert dataset["notes_translated"] == {"en": "Spending"}

    def test_form_inputs_per_language(self, clean_db, with_plugins):
        dataset = factories.Dataset(**{
            "title": None, "license_id": "cc-by",
            "title_translated-en": "Roads", "title_translated-km": "ផ្លូវ",
        })
        assert dataset["title"] == "Roads"
        assert dataset["title_translated"] == {"en": "Roads", "km": "ផ្លូវ"}

    def test_english_is_required(self, clean_db, with_plugins):
        with pytest.raises(helpers.logic.ValidationError) as raised:
            factories.Dataset(title=None, name="only-khmer", license_id="cc-by",
                              title_translated={"km": "ផ្លូវ"})
        assert raised.value.error_dict["title_translated"] == ['Missing value in "en"']

    def test_unknown_language(self, clean_db, with_plugins):
        with pytest.raises(helpers.logic.ValidationError) as raised:
            factories.Dataset(license_id="cc-by", title_translated={"en": "Roads", "fr": "Routes"})
        assert raised.value.error_dict["title_translated"] == [
            'Unknown language "fr". Allowed languages: en, km'
        ]


class TestReferenceEntries:
    def test_link_not_yet_available_when_no_address(self, clean_db, with_plugins):
        organisation = factories.Organization()
        reference = factories.Dataset(
            type="reference", owner_org=organisation["id"], title="Open Data Survey",
            document_kind="survey", publication_date=2016,
        )
        assert reference["link_status"] == "not-yet-available"
        assert reference["publication_date"] == "2016"

    def test_link_available_with_an_address(self, clean_db, with_plugins):
        reference = factories.Dataset(type="reference", title="Handbook", document_kind="handbook",
                                      url="https://opendatahandbook.org/")
        assert reference["link_status"] == "available"

    def test_link_status_must_agree_with_the_address(self, clean_db, with_plugins):
        with pytest.raises(helpers.logic.ValidationError) as raised:
            factories.Dataset(type="reference", title="Handbook", document_kind="handbook",
                              link_status="available")
        assert "url" in raised.value.error_dict["link_status"][0]

    def test_document_kind_is_required(self, clean_db, with_plugins):
        with pytest.raises(helpers.logic.ValidationError) as raised:
            factories.Dataset(type="reference", title="Handbook")
        assert "document_kind" in raised.value.error_dict

    def test_stored_as_type_reference(self, clean_db, with_plugins):
        reference = factories.Dataset(type="reference", title="Policy", document_kind="policy",
                                      publication_date="2022-01-28")
        assert model.Package.get(reference["id"]).type == "reference"


class TestForms:
    def test_dataset_form_has_an_input_per_language(self, app, conference):
        sysadmin = factories.Sysadmin()
        page = app.get("/dataset/new", headers={"Authorization": factories.APIToken(
            user=sysadmin["name"])["token"]})
        for name in ("title_translated-en", "title_translated-km",
                     "notes_translated-en", "notes_translated-km"):
            assert f'name="{name}"' in page.body
        assert 'value="education"' in page.body  # theme choices from the conference
        assert 'value="KH-25"' in page.body

    def test_conference_form_shows_its_values(self, app, conference):
        sysadmin = factories.Sysadmin()
        page = app.get(f"/conference/edit/{conference['name']}", headers={
            "Authorization": factories.APIToken(user=sysadmin["name"])["token"]})
        assert 'value="សន្និសីទសាកល្បង ២០២៥"' in page.body
        assert "title:\n    en: Open Data for Education\n    km: ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ" in page.body

    def test_conference_about_page_leads_to_the_showcase(self, app, conference):
        """CKAN's About page of a conference used to dump the programme as YAML;
        it now sends the visitor to the conference page, which shows it as text."""
        about = app.get(f"/conference/about/{conference['name']}", follow_redirects=False)
        assert about.status_code in (301, 302, 308)
        assert about.headers["Location"].endswith(f"/conference/{conference['name']}")
        page = app.get(f"/km/conference/{conference['name']}")
        assert "ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ" in page.body
        assert "km: " not in page.body and "title:" not in page.body
