"""The URIs the catalogue gives its conferences, themes, languages and licences.

One place builds them, for the export, the parse direction and the themes
endpoint alike; the concept scheme of an edition is built here from
:mod:`ckanext.odconf.logic.conference`, which computes the themes.
"""
from __future__ import annotations

import re
from typing import Mapping, Optional

import ckan.model as model
from ckanext.dcat.profiles import DCAT, DCT, FOAF, RDF, SKOS
from ckanext.dcat.utils import catalog_uri
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from ckanext.odconf.logic.conference import Conference, Theme, Topic

#: The EU's language authority table; Khmer has its own entry (KHM).
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
#: ISO 639-1 codes of the catalogue's language choices (``schemas/presets.yaml``)
#: and their codes in the EU table.
EU_LANGUAGE_CODES = {
    "km": "KHM", "en": "ENG", "fr": "FRA", "zh": "ZHO", "ko": "KOR", "th": "THA", "vi": "VIE",
}
#: The EU's country authority table, for Cambodia as a whole (ISO 3166 KH).
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
EU_COUNTRY_CODES = {"KH": "KHM"}
#: The EU's file type authority table (CSV, PDF, XLSX...).
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
#: IANA's media types (``text/csv``), as DCAT-AP 3 wants ``dcat:mediaType``.
IANA_MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"
#: SPDX's checksum algorithms, by the name CKAN's ``hash`` starts with (``sha256:...``).
SPDX = Namespace("http://spdx.org/rdf/terms#")
CHECKSUM_ALGORITHMS = {name: SPDX[f"checksumAlgorithm_{name}"] for name in ("sha1", "sha256", "md5")}
#: DCMI type of a publication: how a reference entry says what it is.
DCMI_TEXT = URIRef("http://purl.org/dc/dcmitype/Text")
#: Path (under the site) of the scheme of reference entries' kinds of document.
DOCUMENT_KINDS_PATH = "/reference/document-kinds"
#: Path of the scheme of the catalogue's kinds of entry that DCAT has no class
#: for (a hackathon project is a ``dcat:Dataset`` of the kind ``hackathon-project``).
ENTRY_KINDS_PATH = "/entry-kinds"
ENTRY_KINDS_TITLE = {"en": "Kinds of catalogue entry", "km": "ប្រភេទនៃធាតុក្នុងកាតាឡុក"}
ENTRY_KIND_LABELS = {"hackathon-project": {"en": "Hackathon project", "km": "គម្រោងហេកកាថុន"}}
#: This extension's own terms, for what no shared vocabulary names (the problem
#: a hackathon project takes on and its solution).
ODCONF = Namespace("https://github.com/opendevcam/ckanext-odconf/ns#")


def _base() -> str:
    return catalog_uri().rstrip("/")


def conference_uri(edition: str) -> URIRef:
    """The ``dcat:Catalog`` of an edition (its page on this site)."""
    return URIRef(f"{_base()}/conference/{edition}")


def scheme_uri(edition: str) -> URIRef:
    """The ``skos:ConceptScheme`` of an edition's themes, published at ``themes.ttl``."""
    return URIRef(f"{_base()}/conference/{edition}/themes")


def theme_uri(edition: str, theme: str) -> URIRef:
    """A theme (or room) of an edition: a fragment of the scheme's document."""
    return URIRef(f"{scheme_uri(edition)}#{theme}")


def topic_uri(edition: str, theme: str, topic: str) -> URIRef:
    """A topic: narrower than its theme, in the same document."""
    return URIRef(f"{scheme_uri(edition)}#{theme}/{topic}")


def document_kinds_uri() -> URIRef:
    """The scheme of reference entries' kinds of document (survey, study, ...)."""
    return URIRef(_base() + DOCUMENT_KINDS_PATH)


def add_entry_kind(graph: Graph, kind: str) -> URIRef:
    """A kind of entry (``hackathon-project``) as a concept of the site's scheme of
    kinds, for ``dct:type``; returns its URI."""
    scheme = URIRef(_base() + ENTRY_KINDS_PATH)
    concept = URIRef(f"{scheme}#{kind}")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    add_labels(graph, scheme, DCT.title, ENTRY_KINDS_TITLE)
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    graph.add((concept, SKOS.notation, Literal(kind)))
    add_labels(graph, concept, SKOS.prefLabel, ENTRY_KIND_LABELS.get(kind) or {"en": kind})
    return concept


def language_uri(code: str) -> URIRef:
    """The EU authority URI of an ISO 639-1 code (Library of Congress when the EU has none here)."""
    eu_code = EU_LANGUAGE_CODES.get(code)
    if eu_code:
        return URIRef(EU_LANGUAGE + eu_code)
    return URIRef(f"http://id.loc.gov/vocabulary/iso639-1/{code}")


def language_code(uri: str) -> Optional[str]:
    """The ISO 639-1 code of a language URI written by :func:`language_uri`, if it is one."""
    for code in EU_LANGUAGE_CODES:
        if str(language_uri(code)) == uri:
            return code
    prefix = "http://id.loc.gov/vocabulary/iso639-1/"
    return uri[len(prefix):] if uri.startswith(prefix) else None


def country_uri(code: str) -> Optional[URIRef]:
    """The EU authority URI of a country code; None for a province (the EU lists none)."""
    eu_code = EU_COUNTRY_CODES.get(code)
    return URIRef(EU_COUNTRY + eu_code) if eu_code else None


def country_code(uri: str) -> Optional[str]:
    """The ISO 3166 code of a URI written by :func:`country_uri`, if it is one."""
    return next((code for code in EU_COUNTRY_CODES if str(country_uri(code)) == uri), None)


def file_type_uri(label: str) -> Optional[URIRef]:
    """The EU file type of a CKAN format label (``CSV`` -> ``.../file-type/CSV``).

    None for a label that cannot be a code of that table (spaces, slashes).
    """
    code = label.strip().upper()
    return URIRef(EU_FILE_TYPE + code) if re.fullmatch(r"[A-Z0-9_]+", code) else None


def file_type_label(uri: str) -> Optional[str]:
    """The format label of a URI written by :func:`file_type_uri`, if it is one."""
    return uri[len(EU_FILE_TYPE):] if uri.startswith(EU_FILE_TYPE) else None


def media_type_uri(label: str) -> Optional[URIRef]:
    """IANA's URI of a media type (``text/csv``); None for what is not one."""
    code = label.strip().lower()
    return URIRef(IANA_MEDIA_TYPE + code) if re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", code) else None


def media_type_label(uri: str) -> Optional[str]:
    """The media type of a URI written by :func:`media_type_uri`, if it is one."""
    return uri[len(IANA_MEDIA_TYPE):] if uri.startswith(IANA_MEDIA_TYPE) else None


def checksum(value: str) -> Optional[tuple[URIRef, str]]:
    """The SPDX algorithm and hexadecimal digest of a CKAN ``hash`` such as
    ``sha256:ab12...``; None when it does not name a known algorithm."""
    name, _colon, digest = value.partition(":")
    algorithm = CHECKSUM_ALGORITHMS.get(name.lower())
    if algorithm is None or not re.fullmatch(r"(?:[0-9a-fA-F]{2})+", digest):
        return None
    return algorithm, digest.lower()


def checksum_value(algorithm: str, digest: str) -> Optional[str]:
    """The CKAN ``hash`` of an SPDX algorithm URI and digest written by :func:`checksum`."""
    name = next((name for name, uri in CHECKSUM_ALGORITHMS.items() if str(uri) == algorithm), None)
    return f"{name}:{digest}" if name else None


def license_uri(license_id: Optional[str]) -> Optional[URIRef]:
    """The URI CKAN's licence register gives the licence.

    A consumer running stock CKAN maps that same URI back to the licence id
    (ckanext-dcat compares licence URIs with its register), so this is the URI
    both ends agree on. None for a licence without one.
    """
    license = model.Package.get_license_register().get(license_id or "")
    url = license.url if license is not None else ""
    return URIRef(url) if url else None


def license_id(uri: str) -> Optional[str]:
    """The id of the licence whose register URI is ``uri``, if any."""
    return next(
        (license.id for license in model.Package.get_license_register().values()
         if license.url and license.url == uri),
        None,
    )


def add_labels(graph: Graph, subject: Node, predicate: URIRef, text: Mapping[str, str]) -> None:
    """One literal per language that has text (empty translations are left out)."""
    for language, value in (text or {}).items():
        if isinstance(value, str) and value.strip():
            graph.add((subject, predicate, Literal(value, lang=language)))


def _add_concept(graph: Graph, concept: URIRef, scheme: URIRef, slug: str,
                 title: Mapping[str, str], description: Mapping[str, str]) -> None:
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    graph.add((concept, SKOS.notation, Literal(slug)))
    add_labels(graph, concept, SKOS.prefLabel, title or {"en": slug})
    add_labels(graph, concept, SKOS.definition, description)


def add_theme(graph: Graph, conference: Conference, theme: Theme) -> URIRef:
    """A theme as a top concept of its edition's scheme; returns its URI."""
    scheme = scheme_uri(conference.name)
    concept = theme_uri(conference.name, theme.slug)
    _add_concept(graph, concept, scheme, theme.slug, theme.title, theme.description)
    graph.add((concept, SKOS.topConceptOf, scheme))
    return concept


def add_topic(graph: Graph, conference: Conference, theme: Theme, topic: Topic) -> URIRef:
    """A topic as a concept narrower than its theme; returns its URI."""
    broader = add_theme(graph, conference, theme)
    concept = topic_uri(conference.name, theme.slug, topic.slug)
    _add_concept(graph, concept, scheme_uri(conference.name), topic.slug, topic.title,
                 topic.description)
    graph.add((concept, SKOS.broader, broader))
    graph.add((broader, SKOS.narrower, concept))
    return concept


def add_scheme(graph: Graph, conference: Conference, with_concepts: bool = True) -> URIRef:
    """The concept scheme of an edition (and, by default, every theme and topic in it)."""
    scheme = scheme_uri(conference.name)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    title = conference.title_translated or {"en": conference.title}
    add_labels(graph, scheme, DCT.title, title)
    add_labels(graph, scheme, SKOS.prefLabel, title)
    if with_concepts:
        for theme in conference.themes:
            graph.add((scheme, SKOS.hasTopConcept, add_theme(graph, conference, theme)))
            for topic in theme.topics:
                add_topic(graph, conference, theme, topic)
    return scheme


def add_conference(graph: Graph, conference: Conference, description: Mapping[str, str],
                   publisher: Optional[tuple[str, str]]) -> URIRef:
    """An edition as a ``dcat:Catalog`` of its own, its themes as its taxonomy.

    :param description: the edition's description by language
    :param publisher: ``(uri, name)`` of the organisation that organises it
    """
    catalog = conference_uri(conference.name)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCT.identifier, Literal(conference.name)))
    graph.add((catalog, FOAF.homepage, catalog))
    graph.add((catalog, RDF.type, FOAF.Document))
    add_labels(graph, catalog, DCT.title, conference.title_translated or {"en": conference.title})
    add_labels(graph, catalog, DCT.description,
               description or conference.title_translated or {"en": conference.title})
    graph.add((catalog, DCAT.themeTaxonomy, add_scheme(graph, conference, with_concepts=False)))
    if publisher:
        graph.add((catalog, DCT.publisher, add_agent(graph, *publisher)))
    return catalog


def add_agent(graph: Graph, uri: str, name: str) -> URIRef:
    """An organisation as a ``foaf:Agent`` with its name; returns its URI."""
    agent = URIRef(uri)
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(name)))
    return agent


def add_language(graph: Graph, subject: Node, code: str) -> None:
    """``dct:language`` with the authority URI, typed as DCAT-AP asks."""
    uri = language_uri(code)
    graph.add((subject, DCT.language, uri))
    graph.add((uri, RDF.type, DCT.LinguisticSystem))
