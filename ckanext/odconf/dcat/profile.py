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
- the licence becomes ``dct:license`` on the dataset and on every distribution
  without a licence of its own (a resource's ``license_id``);
- ``references`` become ``dct:references``, and a reference entry lists the
  datasets that cite it with ``dct:isReferencedBy``;
- the conference becomes a ``dcat:Catalog`` the dataset ``dct:isPartOf``.

Only active public entries are ever named in a graph: a private or draft
reference entry is left out of ``dct:references`` like it is left out of search.
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import weakref
from typing import Any, Callable, Iterable, Iterator, Optional, TypeVar

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCT, FOAF, RDF, SCHEMA, SKOS, RDFProfile
from ckanext.dcat.utils import catalog_uri, dataset_uri, resource_uri
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD
from rdflib.term import Node
from sqlalchemy import or_, text

from ckanext.odconf.dcat import vocabulary
from ckanext.odconf.hackathon.projects import (
    PROJECT_TYPE, PUBLISHED, hackathon_organisation_name)
from ckanext.odconf.logic import values
from ckanext.odconf.logic.conference import (
    REFERENCE_TYPE, Conference, all_conferences, get_conference)
from ckanext.odconf.translation import default_language, parse_translations

#: Per graph being built: the lookups made for it (see ``OdconfProfile._seen``).
_LOOKUPS: "weakref.WeakKeyDictionary[Graph, dict[Any, Any]]" = weakref.WeakKeyDictionary()
#: The database reads shared by the graphs built inside ``shared_reads()``.
_SHARED_READS: contextvars.ContextVar[Optional[dict[Any, Any]]] = contextvars.ContextVar(
    "odconf_dcat_shared_reads", default=None)
_T = TypeVar("_T")
#: The extra of a parsed hackathon project listing its ``prov:wasDerivedFrom`` URIs.
DERIVED_FROM = "was_derived_from"


def harvested_entry_name(uri: str) -> Optional[str]:
    """The name of the active public entry harvested here from ``uri``, if any."""
    harvested = (
        model.Session.query(model.Package.name)
        .join(model.PackageExtra, model.PackageExtra.package_id == model.Package.id)
        .filter(model.PackageExtra.key == "guid", model.PackageExtra.value == uri,
                model.PackageExtra.state == "active", model.Package.state == "active",
                model.Package.private.is_(False))
        .first())
    return harvested[0] if harvested else None


#: Keys of a dataset dict that are CKAN's own, whatever the schema.
CORE_KEYS = {"id", "name", "title", "notes", "url", "version", "type", "owner_org", "license_id",
             "private", "state", "extras", "resources", "tags"}
#: Fields this profile reads back; ckanext-dcat's readings of them are replaced.
OWN_FIELDS = ("theme", "topic", "language", "references", "conference", "document_kind",
              "spatial_coverage", "challenge_theme", "team_name", "datasets_used", "award",
              "problem", "solution", "repository_url", "demo_url", "project_status")
#: Per entry type, the translated field its ``dct:description`` is written from,
#: and the field naming its theme.
DESCRIPTION_FIELD = {PROJECT_TYPE: "tagline"}
THEME_FIELD = {PROJECT_TYPE: "challenge_theme"}
#: A hackathon project's texts and addresses that have a term of their own.
PROJECT_TEXTS = {"problem": vocabulary.ODCONF.problem, "solution": vocabulary.ODCONF.solution}
PROJECT_ADDRESSES = {"repository_url": SCHEMA.codeRepository, "demo_url": SCHEMA.url}


def exported(dataset_dict: dict[str, Any]) -> bool:
    """Whether an entry may be written in RDF at all: a hackathon project only once
    published (a draft or submitted one never is, whoever asks)."""
    return (dataset_dict.get("type") != PROJECT_TYPE
            or dataset_dict.get("project_status") == PUBLISHED)


def _public_entry(name_or_id: str, package_type: Optional[str] = None) -> Optional[model.Package]:
    """The active public entry with that name or id (of that type), if any."""
    package = model.Package.get(name_or_id)
    if (package is None or package.state != "active" or package.private
            or (package_type and package.type != package_type)):
        return None
    return package


def _public_entries(names_or_ids: list[str], package_type: str) -> dict[str, model.Package]:
    """The active public entries of that type among ``names_or_ids``, by the
    name or id given, read in one statement."""
    if not names_or_ids:
        return {}
    query = model.Session.query(model.Package).filter(
        or_(model.Package.name.in_(names_or_ids), model.Package.id.in_(names_or_ids)),
        model.Package.type == package_type, model.Package.state == "active",
        model.Package.private.is_(False))
    found: dict[str, model.Package] = {}
    for package in query:
        found.update((key, package) for key in (package.id, package.name) if key in names_or_ids)
    return found


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    """Read each conference and cited entry once for all the graphs built inside.

    A page of the catalogue builds one graph per dataset (so that each can be
    kept in the cache); inside one request they share what they read.
    """
    token = _SHARED_READS.set({})
    try:
        yield
    finally:
        _SHARED_READS.reset(token)


def _read(key: Any, read: Callable[[], _T]) -> _T:
    """``read()``, once per ``shared_reads()`` block (every time outside one)."""
    reads = _SHARED_READS.get()
    if reads is None:
        return read()
    if key not in reads:
        reads[key] = read()
    return reads[key]


_CITERS = text("""
    SELECT package.id, extra.value FROM package
    JOIN package_extra AS extra ON extra.package_id = package.id
    WHERE extra.key = 'references' AND extra.state = 'active' AND extra.value LIKE :pattern
      AND package.state = 'active' AND NOT package.private
    ORDER BY package.id
""")


def citing_entries(reference_name: str) -> list[str]:
    """The ids of the active public entries whose ``references`` name this reference entry.

    Read once per ``shared_reads()`` block: the cache key of the reference
    entry's serialisation names them, and its graph lists them. Ids and
    values only (a reference may be cited by thousands of entries: loading
    each as an ORM object with its extras took seconds).
    """
    def read() -> list[str]:
        quoted = json.dumps(reference_name)
        pattern = "%" + quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return [entry_id for entry_id, value in model.Session.execute(_CITERS, {"pattern": pattern})
                # the pattern is a cheap pre-filter; the JSON list decides
                if reference_name in _list(value)]
    return _read(("citers", reference_name), read)


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
        if dataset_dict.get("type") == PROJECT_TYPE:
            self._hackathon_project(dataset_dict, dataset_ref)

    def _text(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        description = DESCRIPTION_FIELD.get(dataset_dict.get("type") or "", "notes_translated")
        for field, predicate in (("title_translated", DCT.title), (description, DCT.description)):
            translations = _translations(dataset_dict, field)
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
        # A file with a licence of its own (resource field license_id) keeps it;
        # one without a URI ("License not specified") gets none, not the dataset's.
        own = {URIRef(resource_uri(resource)): vocabulary.license_uri(resource["license_id"])
               for resource in dataset_dict.get("resources") or [] if resource.get("license_id")}
        for distribution, file_license in own.items():
            if file_license is not None:
                self.g.add((file_license, RDF.type, DCT.LicenseDocument))
                self.g.add((distribution, DCT.license, file_license))
        license = vocabulary.license_uri(dataset_dict.get("license_id"))
        if license is None:
            return
        self.g.add((license, RDF.type, DCT.LicenseDocument))
        if dataset_dict.get("license_title"):
            self.g.add((license, DCT.title, Literal(dataset_dict["license_title"])))
        self.g.add((dataset_ref, DCT.license, license))
        for distribution in self.g.objects(dataset_ref, DCAT.distribution):
            if distribution not in own and (distribution, DCT.license, None) not in self.g:
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
            self._media_types(distribution)
            self._checksums(distribution)

    def _media_types(self, distribution: Node) -> None:
        # an IANA media type resource where ckanext-dcat writes the resource's mimetype
        for label in list(self.g.objects(distribution, DCAT.mediaType)):
            if not isinstance(label, Literal):
                continue
            self.g.remove((distribution, DCAT.mediaType, label))
            media_type = vocabulary.media_type_uri(str(label))
            if media_type is not None:
                self.g.add((distribution, DCAT.mediaType, media_type))
                self.g.add((media_type, RDF.type, DCT.MediaType))

    def _checksums(self, distribution: Node) -> None:
        # CKAN's hash is "sha256:<hex>": DCAT-AP 3 wants the algorithm apart and the
        # value in hexadecimal; a checksum whose algorithm is unknown is left out
        for node in list(self.g.objects(distribution, vocabulary.SPDX.checksum)):
            if (node, vocabulary.SPDX.algorithm, None) in self.g:
                continue
            found = vocabulary.checksum(str(self.g.value(node, vocabulary.SPDX.checksumValue) or ""))
            self.g.remove((node, None, None))
            if found is None:
                self.g.remove((distribution, vocabulary.SPDX.checksum, node))
                continue
            algorithm, digest = found
            self.g.add((node, RDF.type, vocabulary.SPDX.Checksum))
            self.g.add((node, vocabulary.SPDX.algorithm, algorithm))
            self.g.add((algorithm, RDF.type, vocabulary.SPDX.ChecksumAlgorithm))
            self.g.add((node, vocabulary.SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))

    def _seen(self) -> dict[Any, Any]:
        """What this serialisation has already looked up (one graph is one request: a
        page of the catalogue or a dataset), so nothing outlives the data it was read from."""
        return _LOOKUPS.setdefault(self.g, {})

    def _conference(self, name: str) -> Optional[tuple[Conference, URIRef]]:
        """The edition and its catalogue node, added to the graph the first time."""
        seen = self._seen()
        if ("conference", name) not in seen:
            edition = _read(("conference", name), lambda: self._edition(name))
            if edition is None:
                seen["conference", name] = None
            else:
                conference, description, organiser = edition
                catalog = vocabulary.add_conference(self.g, conference, description, organiser)
                seen["conference", name] = (conference, catalog)
        return seen["conference", name]

    def _edition(self, name: str) -> Optional[tuple[Conference, dict[str, str],
                                                     Optional[tuple[str, str]]]]:
        """The edition, its description by language and its organiser, read from the database."""
        conference = get_conference(name)
        if conference is None:
            return None
        group = model.Group.get(conference.id)
        return (conference, _translations(dict(group.extras), "description_translated"),
                self._organiser(group))

    def _conference_and_themes(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        # ckanext-dcat wrote our theme slug as a (relative) concept URI
        self.g.remove((dataset_ref, DCAT.theme, None))
        found = self._conference(dataset_dict.get("conference") or "")
        if found is None:
            return
        conference, catalog = found
        self.g.add((dataset_ref, DCT.isPartOf, catalog))
        self.g.add((catalog, DCAT.dataset, dataset_ref))
        theme_field = THEME_FIELD.get(dataset_dict.get("type") or "", "theme")
        theme = conference.theme(dataset_dict.get(theme_field) or "")
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
            entry = _read(("reference", name), lambda: _public_entry(name, REFERENCE_TYPE))
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
        # what ckanext-dcat's dataset_uri() makes of an id, once for all citers
        base = catalog_uri().rstrip("/")
        for entry_id in citing_entries(dataset_dict["name"]):
            self.g.add((dataset_ref, DCT.isReferencedBy, URIRef(f"{base}/dataset/{entry_id}")))

    def _hackathon_project(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        """Its kind, its team as creator, the datasets it used, its award, its texts.

        The team is named, not its members (their accounts are this site's). Only
        active public entries are named among the datasets used. The judges'
        scores are not in the dataset dict (they live in a table of their own), so
        nothing here can write them.
        """
        self.g.add((dataset_ref, DCT.type, vocabulary.add_entry_kind(self.g, PROJECT_TYPE)))
        team_name = dataset_dict.get("team_name")
        if team_name:
            team = URIRef(f"{dataset_ref}#team")
            self.g.add((team, RDF.type, FOAF.Agent))
            self.g.add((team, RDF.type, FOAF.Group))
            self.g.add((team, FOAF.name, Literal(team_name)))
            self.g.add((dataset_ref, DCT.creator, team))
        for name in _list(dataset_dict.get("datasets_used")):
            entry = _read(("entry", name), lambda: _public_entry(name))
            if entry is not None and entry.type != PROJECT_TYPE:
                self.g.add((dataset_ref, PROV.wasDerivedFrom, URIRef(dataset_uri({"id": entry.id}))))
        award = dataset_dict.get("award")
        choice = next((item for item in _choices(PROJECT_TYPE, "award") if item["value"] == award),
                      None)
        if choice is not None:
            vocabulary.add_labels(self.g, dataset_ref, SCHEMA.award, choice["label"])
        for field, predicate in PROJECT_TEXTS.items():
            if dataset_dict.get(field):
                self.g.add((dataset_ref, predicate, Literal(dataset_dict[field])))
        for field, predicate in PROJECT_ADDRESSES.items():
            if values.URL.match(dataset_dict.get(field) or ""):
                self.g.add((dataset_ref, predicate, URIRef(dataset_dict[field])))

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
            extra for extra in dataset_dict.get("extras", [])
            if extra["key"] not in OWN_FIELDS and extra["key"] != DERIVED_FROM]
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
        if dataset_dict.get("type") == PROJECT_TYPE:
            self._parse_project(dataset_dict, dataset_ref)
        # what ckanext-dcat reads for fields our schema does not have (publisher,
        # contact...) would be refused as unexpected input by package_create
        schema = tk.h.scheming_get_dataset_schema(dataset_dict.get("type") or "dataset")
        if schema:
            known = CORE_KEYS | {field["field_name"] for field in schema["dataset_fields"]}
            for key in set(dataset_dict) - known:
                del dataset_dict[key]
        return dataset_dict

    def _parse_type(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        for concept in self.g.objects(dataset_ref, DCT.type):
            # a kind of the scheme of the site that wrote it, wherever that is
            if str(self.g.value(concept, SKOS.inScheme) or "").endswith(vocabulary.ENTRY_KINDS_PATH):
                if str(self.g.value(concept, SKOS.notation)) == PROJECT_TYPE:
                    dataset_dict["type"] = PROJECT_TYPE
        if (dataset_ref, DCT.type, vocabulary.DCMI_TEXT) in self.g:
            dataset_dict["type"] = REFERENCE_TYPE
            for concept in self.g.objects(dataset_ref, DCT.type):
                # the scheme of the site that wrote it, wherever that is
                scheme = str(self.g.value(concept, SKOS.inScheme) or "")
                if scheme.endswith(vocabulary.DOCUMENT_KINDS_PATH):
                    dataset_dict["document_kind"] = str(self.g.value(concept, SKOS.notation))

    def _parse_project(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """Read back what :meth:`_hackathon_project` wrote (only published projects are)."""
        tagline = dataset_dict.pop("notes_translated", None)
        if tagline:
            dataset_dict["tagline"] = tagline
        theme = dataset_dict.pop("theme", None)
        dataset_dict.pop("topic", None)
        if theme:
            dataset_dict["challenge_theme"] = theme
        for team in self.g.objects(dataset_ref, DCT.creator):
            if self.g.value(team, FOAF.name):
                dataset_dict["team_name"] = str(self.g.value(team, FOAF.name))
        sources = sorted(str(source) for source in self.g.objects(dataset_ref, PROV.wasDerivedFrom))
        used = [self._entry_name(URIRef(source)) for source in sources]
        dataset_dict["datasets_used"] = sorted(name for name in used if name)
        if sources:
            # kept as written: a harvester resolves them again when it imports the
            # project, as the entries they name may arrive later (dcat/harvest.py)
            dataset_dict.setdefault("extras", []).append(
                {"key": DERIVED_FROM, "value": json.dumps(sources)})
        awards = {text: item["value"] for item in _choices(PROJECT_TYPE, "award")
                  for text in (item.get("label") or {}).values()}
        for label in self.g.objects(dataset_ref, SCHEMA.award):
            if str(label) in awards:
                dataset_dict["award"] = awards[str(label)]
        for field, predicate in PROJECT_TEXTS.items():
            if self.g.value(dataset_ref, predicate):
                dataset_dict[field] = str(self.g.value(dataset_ref, predicate))
        for field, predicate in PROJECT_ADDRESSES.items():
            if self.g.value(dataset_ref, predicate):
                dataset_dict[field] = str(self.g.value(dataset_ref, predicate))
        dataset_dict["project_status"] = PUBLISHED
        if dataset_dict.get("conference"):
            # its edition's hackathon organisation on this site (the project's rule)
            dataset_dict["owner_org"] = hackathon_organisation_name(dataset_dict["conference"])

    def _entry_name(self, uri: Node) -> Optional[str]:
        """The name of this site's public entry at ``uri`` (written by this site, or
        harvested here from the site that wrote it); None for any other."""
        prefix = f"{catalog_uri().rstrip('/')}/dataset/"
        if str(uri).startswith(prefix):
            entry = self._parsed_entry(str(uri)[len(prefix):])
            if entry is not None:
                return entry.name
        return harvested_entry_name(str(uri))

    def _parse_formats(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        for resource in dataset_dict.get("resources", []):
            # ckanext-dcat's parser names the distribution each resource was read from
            distribution = URIRef(resource.get("distribution_ref") or "")
            label = vocabulary.file_type_label(str(self.g.value(distribution, DCT["format"]) or ""))
            if label:
                resource["format"] = label
            media_type = vocabulary.media_type_label(str(resource.get("mimetype") or ""))
            if media_type:
                resource["mimetype"] = media_type
            value = vocabulary.checksum_value(str(resource.get("hash_algorithm") or ""),
                                              str(resource.get("hash") or ""))
            if value:
                resource["hash"] = value
                resource.pop("hash_algorithm", None)

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
            entry = self._parsed_entry(str(cited)[len(prefix):])
            if entry is not None and entry.type == REFERENCE_TYPE:
                return entry.name
        return str(self.g.value(cited, FOAF.page) or cited)

    def _parsed_entry(self, name_or_id: str) -> Optional[model.Package]:
        """This site's public entry, read once for the graph being parsed (a page of
        a catalogue names the same entries again and again)."""
        seen = self._seen()
        if ("parsed entry", name_or_id) not in seen:
            seen["parsed entry", name_or_id] = _public_entry(name_or_id)
        return seen["parsed entry", name_or_id]


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
        references = list(references)
        # read at once: the dataset page embeds this graph, whatever its number of references
        entries = _public_entries(
            [reference for reference in references if not values.URL.match(reference)], REFERENCE_TYPE)
        for reference in references:
            if values.URL.match(reference):
                yield URIRef(reference)
                continue
            entry = entries.get(reference)
            if entry is not None:
                yield URIRef(entry.url or tk.url_for("reference.read", id=entry.name,
                                                     _external=True))
