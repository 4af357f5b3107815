"""What the catalogue adds to CKAN's search: index fields, Khmer text, facets.

Field names follow CKAN's stock Solr 2.11 schema, so the same catalogue works
on Solr and on the embedded search (``odconf_search``): single values as plain
string fields (the ``*`` dynamic field), lists as ``vocab_*`` multi-valued
fields, the free text in ``text``.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any, Mapping

import ckan.plugins.toolkit as tk

from ckanext.odconf.logic import conference as conferences, visibility
from ckanext.odconf.logic.translations import index_missing_languages
from ckanext.odconf.logic.values import normalise_partial_date
from ckanext.odconf.khmer import khmer_inner_words, segment_khmer
from ckanext.odconf.helpers import odconf_dataset_type_label, odconf_language_name
from ckanext.odconf.translation import current_language, pick

#: Single-valued fields indexed under their own name as plain strings.
SINGLE_VALUED = ("conference", "theme", "topic", "session")

#: List fields and the ``vocab_`` field each is indexed under.
MULTI_VALUED = {
    "language": "vocab_odconf_languages",
    "references": "vocab_odconf_references",
    "spatial_coverage": "vocab_odconf_spatial_coverage",
    "contributors": "vocab_odconf_contributors",
    # hackathon projects (``hackathon/``): the dataset page lists the projects using it
    "datasets_used": "vocab_odconf_datasets_used",
    "built_with": "vocab_odconf_built_with",
    "team_members": "vocab_odconf_team_members",
}

#: Translated fields whose text is added, word-segmented, to ``text``.
TRANSLATED_TEXT = ("title_translated", "notes_translated", "tagline")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    if not isinstance(value, list):
        return []
    return [str(item) for item in value if item not in (None, "")]


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Shape the search document of a catalogue entry (``before_dataset_index``).

    - lists (languages, references, spatial coverage, contributors) become
      ``vocab_odconf_*`` multi-valued fields; their raw JSON strings are dropped;
    - the conference is added to ``groups``, so the conference's group page and
      group facet list its datasets without every publisher having to be a
      member of the conference group;
    - Khmer titles and descriptions are added to ``text`` with a space between
      words, which makes each word findable (Khmer is written without spaces),
      and so are the words inside their Khmer compounds: in ``text`` (not the
      title) they match, but rank below a title's whole word;
    - ``publication_date`` given as a year or month is indexed as its first day;
    - the languages in which a translated field lacks text are listed in
      ``vocab_odconf_missing_translations`` (the translation queue's filter).
    """
    validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    for name, index_name in MULTI_VALUED.items():
        value = validated.get(name, pkg_dict.get(name))
        pkg_dict.pop(name, None)
        values = _as_list(value)
        if values:
            pkg_dict[index_name] = values
    for name in SINGLE_VALUED:
        if not pkg_dict.get(name):
            pkg_dict.pop(name, None)

    conference = pkg_dict.get("conference")
    if conference:
        groups = list(pkg_dict.get("groups") or [])
        if conference not in groups:
            groups.append(conference)
        pkg_dict["groups"] = groups

    text = pkg_dict.get("text") or []
    text = [text] if isinstance(text, str) else list(text)
    translated: list[str] = []
    for name in TRANSLATED_TEXT:
        texts = validated.get(name)
        pkg_dict.pop(name, None)
        if isinstance(texts, dict):
            translated.extend(value for value in texts.values() if isinstance(value, str))
    text.extend(segment_khmer(value) for value in translated)
    own = [value for value in (pkg_dict.get("title"), pkg_dict.get("notes")) if isinstance(value, str)]
    text.extend(segment_khmer(value) for value in own if segment_khmer(value) != value)
    inner = khmer_inner_words("\n".join(translated + own))
    if inner:
        text.append(inner)
    if text:
        pkg_dict["text"] = text

    index_missing_languages(pkg_dict, validated)

    published = normalise_partial_date(validated.get("publication_date"))
    if published:
        pkg_dict["publication_date"] = _first_day(published) + "T00:00:00Z"
    return pkg_dict


def _first_day(partial_date: str) -> str:
    """``2016`` -> ``2016-01-01``, ``2020-05`` -> ``2020-05-01``."""
    return "-".join((partial_date.split("-") + ["01", "01"])[:3])


def before_dataset_search(search_params: dict[str, Any]) -> dict[str, Any]:
    """Segment Khmer words in the free-text query, as the index does."""
    query = search_params.get("q")
    if isinstance(query, str):
        search_params["q"] = segment_khmer(query)
    return search_params


def dataset_facets(facets_dict: "OrderedDict[str, Any]") -> "OrderedDict[str, Any]":
    """The catalogue's facets first, then CKAN's (licence renamed, language and
    type added; CKAN's groups left out: its groups are the conferences, which
    the conference facet lists)."""
    facets: "OrderedDict[str, Any]" = OrderedDict()
    facets["conference"] = tk._("Conference")
    facets["theme"] = tk._("Theme")
    facets["topic"] = tk._("Topic")
    for name, label in facets_dict.items():
        if name != "groups":
            facets[name] = label
    facets["license_id"] = tk._("Licence")
    facets[MULTI_VALUED["language"]] = tk._("Language")
    facets["dataset_type"] = tk._("Type")
    return facets


def _titles(conference_list: list[conferences.Conference]) -> dict[str, dict[str, Any]]:
    """Translated titles of the conference, theme and topic facet values."""
    themes = [theme for conference in conference_list for theme in conference.themes]
    return {
        "conference": {conference.name: conference.title_translated or conference.title
                       for conference in conference_list},
        "theme": {theme.slug: theme.title for theme in themes},
        "topic": {topic.slug: topic.title for theme in themes for topic in theme.topics},
    }


def after_dataset_search(
    search_results: dict[str, Any], search_params: Mapping[str, Any]
) -> dict[str, Any]:
    """Withhold the reference entries the caller may not read, then show facet
    values by their titles (in the page's language), not their slugs.

    Reference names go from every answer, its results and its
    ``vocab_odconf_references`` facet alike, counts-only searches included.
    Searches for counts only (``rows=0``, as this extension's actions make
    them; CKAN's pages always ask for rows) are not relabelled: nobody shows
    their labels.
    """
    visibility.withhold_hidden_references(
        visibility.searcher_labels(search_params), search_results.get("results") or [],
        ["references", MULTI_VALUED["references"]], search_results.get("facets"),
        search_results.get("search_facets"))
    if search_params.get("rows") == 0:
        return search_results
    facets: Mapping[str, Any] = search_results.get("search_facets") or {}
    languages = MULTI_VALUED["language"]
    # a conference is a CKAN group too: on organisation pages the "groups" facet lists it
    wanted = [name for name in ("conference", "groups", "theme", "topic", languages, "dataset_type")
              if facets.get(name, {}).get("items")]
    if not wanted:
        return search_results
    titles = (_titles(conferences.all_conferences())
              if set(wanted) & {"conference", "groups", "theme", "topic"} else {})
    titles["groups"] = titles.get("conference", {})
    language = current_language()
    for name in wanted:
        for item in facets[name]["items"]:
            if name == languages:
                item["display_name"] = odconf_language_name(item["name"])
            elif name == "dataset_type":
                item["display_name"] = odconf_dataset_type_label(item["name"])
            elif item["name"] in titles[name]:
                item["display_name"] = pick(titles[name][item["name"]], language)
    return search_results
