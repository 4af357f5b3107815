"""RDF profiles ``odconf_spatial`` and ``odconf`` (DCAT-AP 3), ``odconf_schemaorg`` (schema.org).

``odconf`` runs after ``euro_dcat_ap_3`` and corrects what that profile makes
of this catalogue's fields, then adds what it has no field for:

- ``theme`` and ``topic`` are slugs of the edition's programme. ckanext-dcat
  reads a field named ``theme`` as a list of concept URIs and would write
  ``dcat:theme <education>``, a relative URI; this profile removes those
  triples and writes the theme (and topic) as concepts of the edition's
  ``skos:ConceptScheme`` instead. Parsing reverses it: the slugs are read from
  the concepts' ``skos:notation`` in the scheme of the catalogue the dataset
  ``dct:isPartOf``, so the URIs of another site are understood too;
- ``language`` codes become EU authority URIs (ckanext-dcat writes literals);
- ``title_translated``/``notes_translated`` become ``@en`` and ``@km`` literals;
- the licence becomes ``dct:license`` on the dataset and on every distribution;
- ``references`` become ``dct:references``, and a reference entry lists the
  datasets that cite it with ``dct:isReferencedBy``;
- the conference becomes a ``dcat:Catalog`` the dataset ``dct:isPartOf``.

Only active public entries are ever named in a graph: a private or draft
reference entry is left out of ``dct:references`` like it is left out of search.
"""
from __future__ import annotations

import json
import weakref
from typing import Any, Iterable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCT, FOAF, RDF, SCHEMA, SKOS, RDFProfile
from ckanext.dcat.utils import catalog_uri, dataset_uri
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ckanext.odconf.dcat import vocabulary
from ckanext.odconf.logic import values
from ckanext.odconf.logic.conference import (
    REFERENCE_TYPE, Conference, all_conferences, get_conference)
from ckanext.odconf.translation import default_language, parse_translations

#: Per graph being built: the lookups made for it (see ``OdconfProfile._seen``).
_LOOKUPS: "weakref.WeakKeyDictionary[Graph, dict[Any, Any]]" = weakref.WeakKeyDictionary()
#: Keys of a dataset dict that are CKAN's own, whatever the schema.
CORE_KEYS = {"id", "name", "title", "notes", "url", "version", "type", "owner_org", "license_id",
             "private", "state", "extras", "resources", "tags"}
#: Fields this profile reads back; ckanext-dcat's readings of them are replaced.
OWN_FIELDS = ("theme", "topic", "language", "references", "conference", "document_kind",
              "spatial_coverage")


def _public_entry(name_or_id: str, package_type: Optional[str] = None) -> Optional[model.Package]:
    """The active public entry with that name or id (of that type), if any."""
    package = model.Package.get(name_or_id)
    if (package is None or package.state != "active" or package.private
            or (package_type and package.type != package_type)):
        return None
    return package


def _citing_datasets(reference_name: str) -> list[model.Package]:
    """Active public entries whose ``references`` name this reference entry."""
    query = (
        model.Session.query(model.Package)
        .join(model.PackageExtra, model.PackageExtra.package_id == model.Package.id)
        .filter(model.PackageExtra.key == "references",
                model.PackageExtra.state == "active",
                # a cheap pre-filter; the JSON list is checked below
                model.PackageExtra.value.contains(json.dumps(reference_name)),
                model.Package.state == "active", model.Package.private.is_(False))
    )
    return [
        package for package in query
        if reference_name in (values.parse_json(package.extras.get("references")) or [])
    ]


def _list(value: Any) -> list[str]:
    value = values.parse_json(value)
    if isinstance(value, str):
        value = [value]
    return [item for item in value or [] if isinstance(item, str) and item]


def _field(dataset_type: str, field_name: str) -> dict[str, Any]:
    """A field of the scheming schema (its label, choices...); empty when there is none."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    return tk.h.scheming_field_by_name(schema.get("dataset_fields", []), field_name) or {}


def _choices(dataset_type: str, field_name: str) -> list[dict[str, Any]]:
    """The choices of a field of the scheming schema (value and labels)."""
    return _field(dataset_type, field_name).get("choices") or []


def _translations(dataset_dict: dict[str, Any], field: str) -> dict[str, str]:
    try:
        return parse_translations(dataset_dict.get(field)) or {}
    except ValueError:
        return {}


class OdconfSpatialProfile(RDFProfile):
    """Spatial coverage as ``euro_dcat_ap_3`` reads it (chain it BEFORE that profile).

    Our ``spatial_coverage`` holds ISO 3166 codes (``KH``, ``KH-12``), where
    ckanext-dcat's scheming support expects records ``{"uri", "text"}`` and
    fails on a string. This profile rewrites the field in the dict
    ckanext-dcat read for this export (from ``package_show`` or
    ``package_search``; nothing stores it afterwards) so that the stock profile
    writes one ``dct:Location`` per code: Cambodia with the EU country
    authority URI, a province with its English name.
    """

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        """Turn the codes of ``spatial_coverage`` into location records, in place."""
        codes = _list(dataset_dict.get("spatial_coverage"))
        if not codes:
            return
        labels = {choice["value"]: choice["label"]
                  for choice in _choices(dataset_dict.get("type") or "dataset", "spatial_coverage")}
        dataset_dict["spatial_coverage"] = [
            {"uri": str(vocabulary.country_uri(code)) if vocabulary.country_uri(code) else "",
             "text": (labels.get(code) or {}).get("en", code)}
            for code in codes
        ]


class OdconfProfile(RDFProfile):
    """The conference catalogue on top of DCAT-AP 3 (chain it after ``euro_dcat_ap_3``)."""

    # Export

    def graph_from_catalog(self, catalog_dict: Optional[dict[str, Any]], catalog_ref: URIRef) -> None:
        """Complete the site's catalogue as DCAT-AP 3 requires it.

        ckanext-dcat writes the site language as a literal and leaves out the
        description when ``ckan.site_description`` is empty, and the publisher
        always: the publisher is the organiser of the newest edition, since
        the catalogue is the conference's.
        """
        self.g.remove((catalog_ref, DCT.language, None))
        for code in tk.aslist(tk.config.get("ckan.locales_offered")) or [default_language()]:
            vocabulary.add_language(self.g, catalog_ref, code.split("_")[0])
        if (catalog_ref, DCT.description, None) not in self.g:
            for title in list(self.g.objects(catalog_ref, DCT.title)):
                self.g.add((catalog_ref, DCT.description, title))
        for homepage in self.g.objects(catalog_ref, FOAF.homepage):
            self.g.add((homepage, RDF.type, FOAF.Document))
        conferences = all_conferences()
        organiser = self._organiser(model.Group.get(conferences[0].id)) if conferences else None
        if organiser and (catalog_ref, DCT.publisher, None) not in self.g:
            self.g.add((catalog_ref, DCT.publisher, vocabulary.add_agent(self.g, *organiser)))

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        """Add the catalogue's own fields to the dataset's graph (see the module's docstring)."""
        self._text(dataset_dict, dataset_ref)
        self._languages(dataset_dict, dataset_ref)
        self._license(dataset_dict, dataset_ref)
        self._formats(dataset_ref)
        self._conference_and_themes(dataset_dict, dataset_ref)
        self._references(dataset_dict, dataset_ref)
        if dataset_dict.get("type") == REFERENCE_TYPE:
            self._reference_entry(dataset_dict, dataset_ref)

    def _text(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        for field, predicate in (("title", DCT.title), ("notes", DCT.description)):
            translations = _translations(dataset_dict, f"{field}_translated")
            if not translations:
                continue
            self.g.remove((dataset_ref, predicate, None))
            vocabulary.add_labels(self.g, dataset_ref, predicate, translations)
        if (dataset_ref, DCT.description, None) not in self.g:
            # DCAT-AP requires a description; an entry without one is described by its title
            for title in list(self.g.objects(dataset_ref, DCT.title)):
                self.g.add((dataset_ref, DCT.description, title))

    def _languages(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        self.g.remove((dataset_ref, DCT.language, None))
        for code in _list(dataset_dict.get("language")):
            vocabulary.add_language(self.g, dataset_ref, code)

    def _license(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        license = vocabulary.license_uri(dataset_dict.get("license_id"))
        if license is None:
            return
        self.g.add((license, RDF.type, DCT.LicenseDocument))
        if dataset_dict.get("license_title"):
            self.g.add((license, DCT.title, Literal(dataset_dict["license_title"])))
        self.g.add((dataset_ref, DCT.license, license))
        for distribution in self.g.objects(dataset_ref, DCAT.distribution):
            if (distribution, DCT.license, None) not in self.g:
                self.g.add((distribution, DCT.license, license))

    def _formats(self, dataset_ref: URIRef) -> None:
        # DCAT-AP 3 wants a file type resource where ckanext-dcat writes CKAN's label
        for distribution in self.g.objects(dataset_ref, DCAT.distribution):
            for label in list(self.g.objects(distribution, DCT["format"])):
                file_type = isinstance(label, Literal) and vocabulary.file_type_uri(str(label))
                if file_type:
                    self.g.remove((distribution, DCT["format"], label))
                    self.g.add((distribution, DCT["format"], file_type))
                    self.g.add((file_type, RDF.type, DCT.MediaTypeOrExtent))

    def _seen(self) -> dict[Any, Any]:
        """What this serialisation has already looked up (one graph is one request: a
        page of the catalogue or a dataset), so nothing outlives the data it was read from."""
        return _LOOKUPS.setdefault(self.g, {})

    def _conference(self, name: str) -> Optional[tuple[Conference, URIRef]]:
        """The edition and its catalogue node, added to the graph the first time."""
        seen = self._seen()
        if ("conference", name) not in seen:
            conference = get_conference(name)
            if conference is None:
                seen["conference", name] = None
            else:
                group = model.Group.get(conference.id)
                description = _translations(dict(group.extras), "description_translated")
                catalog = vocabulary.add_conference(
                    self.g, conference, description, self._organiser(group))
                seen["conference", name] = (conference, catalog)
        return seen["conference", name]

    def _conference_and_themes(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        # ckanext-dcat wrote our theme slug as a (relative) concept URI
        self.g.remove((dataset_ref, DCAT.theme, None))
        found = self._conference(dataset_dict.get("conference") or "")
        if found is None:
            return
        conference, catalog = found
        self.g.add((dataset_ref, DCT.isPartOf, catalog))
        self.g.add((catalog, DCAT.dataset, dataset_ref))
        theme = conference.theme(dataset_dict.get("theme") or "")
        if theme is None:
            return
        topic = theme.topic(dataset_dict.get("topic") or "")
        concept = (vocabulary.add_topic(self.g, conference, theme, topic) if topic
                   else vocabulary.add_theme(self.g, conference, theme))
        self.g.add((dataset_ref, DCAT.theme, concept))
        if topic:
            self.g.add((dataset_ref, DCAT.theme, vocabulary.theme_uri(conference.name, theme.slug)))

    def _organiser(self, group: model.Group) -> Optional[tuple[str, str]]:
        for name in _list(group.extras.get("organisers")):
            organisation = model.Group.get(name)
            if organisation is not None and organisation.state == "active":
                uri = f"{catalog_uri().rstrip('/')}/organization/{organisation.id}"
                return uri, organisation.title or organisation.name
        return None

    def _references(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        for reference in _list(dataset_dict.get("references")):
            if values.URL.match(reference):
                self.g.add((dataset_ref, DCT.references, URIRef(reference)))
                continue
            cited = self._cited(reference)
            if cited is not None:
                self.g.add((dataset_ref, DCT.references, cited))

    def _cited(self, name: str) -> Optional[URIRef]:
        """The node of a public reference entry, described in the graph the first time."""
        seen = self._seen()
        if ("reference", name) not in seen:
            entry = _public_entry(name, REFERENCE_TYPE)
            cited = None
            if entry is not None:
                cited = URIRef(dataset_uri({"id": entry.id}))
                vocabulary.add_labels(self.g, cited, DCT.title,
                                      _translations(entry.extras, "title_translated")
                                      or {"en": entry.title})
                if entry.url:
                    self.g.add((cited, FOAF.page, URIRef(entry.url)))
            seen["reference", name] = cited
        return seen["reference", name]

    def _reference_entry(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        self.g.add((dataset_ref, DCT.type, vocabulary.DCMI_TEXT))
        self.g.add((vocabulary.DCMI_TEXT, RDF.type, SKOS.Concept))
        self.g.add((vocabulary.DCMI_TEXT, SKOS.prefLabel, Literal("Text", lang="en")))
        kind = dataset_dict.get("document_kind")
        if kind:
            self.g.add((dataset_ref, DCT.type, self._document_kind(kind)))
        for package in _citing_datasets(dataset_dict["name"]):
            self.g.add((dataset_ref, DCT.isReferencedBy, URIRef(dataset_uri({"id": package.id}))))

    def _document_kind(self, kind: str) -> URIRef:
        scheme = vocabulary.document_kinds_uri()
        concept = URIRef(f"{scheme}#{kind}")
        self.g.add((scheme, RDF.type, SKOS.ConceptScheme))
        vocabulary.add_labels(self.g, scheme, DCT.title,
                              _field(REFERENCE_TYPE, "document_kind").get("label") or {"en": kind})
        self.g.add((concept, RDF.type, SKOS.Concept))
        self.g.add((concept, SKOS.inScheme, scheme))
        self.g.add((concept, SKOS.notation, Literal(kind)))
        choice = next((item for item in _choices(REFERENCE_TYPE, "document_kind")
                       if item["value"] == kind), None)
        vocabulary.add_labels(self.g, concept, SKOS.prefLabel,
                              choice["label"] if choice else {"en": kind})
        return concept

    # Parse

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        """Read back what :meth:`graph_from_dataset` wrote; returns the dataset dict."""
        dataset_dict["extras"] = [
            extra for extra in dataset_dict.get("extras", []) if extra["key"] not in OWN_FIELDS]
        for field in OWN_FIELDS:
            dataset_dict.pop(field, None)
        for field, predicate in (("title", DCT.title), ("notes", DCT.description)):
            translations = self._literals(dataset_ref, predicate)
            if translations:
                dataset_dict[f"{field}_translated"] = translations
        languages = [vocabulary.language_code(str(uri))
                     for uri in self.g.objects(dataset_ref, DCT.language)]
        dataset_dict["language"] = [code for code in languages if code]
        if not dataset_dict.get("license_id"):
            for license in self.g.objects(dataset_ref, DCT.license):
                dataset_dict["license_id"] = vocabulary.license_id(str(license)) or ""
        self._parse_conference(dataset_dict, dataset_ref)
        self._parse_formats(dataset_dict, dataset_ref)
        spatial = self._spatial_codes(dataset_ref)
        if spatial:
            dataset_dict["spatial_coverage"] = spatial
        references = [self._reference_name(cited)
                      for cited in self.g.objects(dataset_ref, DCT.references)]
        if references:
            dataset_dict["references"] = sorted(references)
        self._parse_type(dataset_dict, dataset_ref)
        # what ckanext-dcat reads for fields our schema does not have (publisher,
        # contact...) would be refused as unexpected input by package_create
        schema = tk.h.scheming_get_dataset_schema(dataset_dict.get("type") or "dataset")
        if schema:
            known = CORE_KEYS | {field["field_name"] for field in schema["dataset_fields"]}
            for key in set(dataset_dict) - known:
                del dataset_dict[key]
        return dataset_dict

    def _parse_type(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        if (dataset_ref, DCT.type, vocabulary.DCMI_TEXT) in self.g:
            dataset_dict["type"] = REFERENCE_TYPE
            for concept in self.g.objects(dataset_ref, DCT.type):
                # the scheme of the site that wrote it, wherever that is
                scheme = str(self.g.value(concept, SKOS.inScheme) or "")
                if scheme.endswith(vocabulary.DOCUMENT_KINDS_PATH):
                    dataset_dict["document_kind"] = str(self.g.value(concept, SKOS.notation))

    def _parse_formats(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        for resource in dataset_dict.get("resources", []):
            # ckanext-dcat's parser names the distribution each resource was read from
            distribution = URIRef(resource.get("distribution_ref") or "")
            label = vocabulary.file_type_label(str(self.g.value(distribution, DCT["format"]) or ""))
            if label:
                resource["format"] = label

    def _spatial_codes(self, dataset_ref: Node) -> list[str]:
        codes_by_label = {(choice["label"] or {}).get("en"): choice["value"]
                          for choice in _choices("dataset", "spatial_coverage")}
        codes = []
        for location in self.g.objects(dataset_ref, DCT.spatial):
            code = (vocabulary.country_code(str(location))
                    or codes_by_label.get(str(self.g.value(location, SKOS.prefLabel) or "")))
            if code:
                codes.append(code)
        return sorted(codes)

    def _literals(self, subject: Node, predicate: URIRef) -> dict[str, str]:
        return {
            (literal.language or self._default_lang): str(literal)
            for literal in self.g.objects(subject, predicate)
            if isinstance(literal, Literal) and str(literal)
        }

    def _parse_conference(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        for catalog in self.g.objects(dataset_ref, DCT.isPartOf):
            if (catalog, RDF.type, DCAT.Catalog) not in self.g:
                continue
            dataset_dict["conference"] = str(self.g.value(catalog, DCT.identifier))
            schemes = set(self.g.objects(catalog, DCAT.themeTaxonomy))
            for concept in self.g.objects(dataset_ref, DCAT.theme):
                if self.g.value(concept, SKOS.inScheme) not in schemes:
                    continue
                broader = self.g.value(concept, SKOS.broader)
                notation = str(self.g.value(concept, SKOS.notation))
                if broader is None:
                    dataset_dict.setdefault("theme", notation)
                else:
                    dataset_dict["topic"] = notation
                    dataset_dict["theme"] = str(self.g.value(broader, SKOS.notation))
            return

    def _reference_name(self, cited: Node) -> str:
        """The name of this site's reference entry, else the outside address."""
        prefix = f"{catalog_uri().rstrip('/')}/dataset/"
        if str(cited).startswith(prefix):
            entry = _public_entry(str(cited)[len(prefix):], REFERENCE_TYPE)
            if entry is not None:
                return entry.name
        return str(self.g.value(cited, FOAF.page) or cited)


class OdconfSchemaOrgProfile(RDFProfile):
    """schema.org additions (chain after ``schemaorg``): licence URI, ``isBasedOn``, conference."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        """Add the licence's URI, the cited publications and the conference."""
        license = vocabulary.license_uri(dataset_dict.get("license_id"))
        if license is not None:
            self.g.remove((dataset_ref, SCHEMA.license, None))
            self.g.add((dataset_ref, SCHEMA.license, license))
        for language, title in _translations(dataset_dict, "title_translated").items():
            if title:
                self.g.add((dataset_ref, SCHEMA.alternateName, Literal(title, lang=language)))
        for cited in self._cited(_list(dataset_dict.get("references"))):
            self.g.add((dataset_ref, SCHEMA.isBasedOn, cited))
        conference = get_conference(dataset_dict.get("conference") or "")
        if conference is not None:
            event = vocabulary.conference_uri(conference.name)
            self.g.add((event, RDF.type, SCHEMA.Event))
            self.g.add((event, SCHEMA.url, Literal(str(event))))
            vocabulary.add_labels(self.g, event, SCHEMA.name,
                                  conference.title_translated or {"en": conference.title})
            self.g.add((dataset_ref, SCHEMA.isPartOf, event))

    def _cited(self, references: Iterable[str]) -> Iterable[URIRef]:
        for reference in references:
            if values.URL.match(reference):
                yield URIRef(reference)
                continue
            entry = _public_entry(reference, REFERENCE_TYPE)
            if entry is not None:
                yield URIRef(entry.url or tk.url_for("reference.read", id=entry.name,
                                                     _external=True))
