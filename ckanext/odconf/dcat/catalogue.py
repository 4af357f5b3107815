"""The catalogue's RDF: ckanext-dcat's serialisation, with each dataset's part kept in the cache.

A page of ``/catalog.ttl`` is written as ckanext-dcat writes it (the same
search, paging links and profiles), in pieces that can be kept:

- the page's own part: the site's ``dcat:Catalog`` and the ``hydra`` paging,
  built for each request;
- one part per dataset (:func:`dataset_part`), kept in the cache
  (:mod:`ckanext.odconf.dcat.cache`): in Turtle, what is the dataset's own (the
  dataset and its distributions, with their blank nodes), and, as N-Triples
  lines, the site catalogue's ``dcat:dataset`` link to it and what other
  datasets may describe too (its conference, themes, licence, publisher, cited
  entries). A shared line is written once a page.

Turtle allows statements in any order and a prefix to be declared anywhere, and
N-Triples lines are Turtle statements, so the page is the site's part, each
dataset's own Turtle, then the shared lines; it holds the triples the stock
serialisation holds. Other formats (RDF/XML, JSON-LD) have no such
concatenation and are serialised whole, as is every page when
``ckanext.dcat.expose_subcatalogs`` is on (ckanext-dcat then groups datasets
under sub-catalogues while writing the page).

``/dataset/<id>.<format>`` is kept whole, in every format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckanext.dcat.logic import _pagination_info, _search_ckan_datasets
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import DCAT
from ckanext.dcat.utils import catalog_uri, dataset_uri
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from ckanext.odconf.dcat import cache
from ckanext.odconf.dcat.profile import exported, shared_reads

#: Profile classes by the names they were asked by (ckanext-dcat looks
#: the entry points up anew for every serializer).
_PROFILE_CLASSES: dict[tuple[str, ...], list[type]] = {}
_PREFIX_LINE = re.compile(r"@prefix ([^:\s]*): <([^>]*)> \.")
#: The formats in the address whose pages are assembled from kept parts.
TURTLE = "ttl"


class Serializer(RDFSerializer):
    """ckanext-dcat's serializer, with two corrections.

    The profile classes are loaded once per process. And the organisations a
    profile reads (ckanext-dcat names the publisher from ``organization_show``)
    are kept for this serializer only: stock ckanext-dcat keeps them in a class
    attribute, for the life of the process, so a renamed organisation stayed
    the publisher under its old name until a restart.
    """

    g: Graph

    def __init__(self, profiles: Optional[list[str]] = None) -> None:
        self._organisations: dict[str, Any] = {}
        super().__init__(profiles=profiles)

    def _load_profiles(self, profile_names: list[str]) -> list[type]:
        key = tuple(profile_names)
        if key not in _PROFILE_CLASSES:
            _PROFILE_CLASSES[key] = super()._load_profiles(profile_names)
        return list(_PROFILE_CLASSES[key])

    def graph_from_dataset(self, dataset_dict: dict[str, Any]) -> URIRef:
        """Add a dataset to the graph with every profile; returns its URI."""
        dataset_ref = URIRef(dataset_uri(dataset_dict))
        for profile_class in self._profiles:
            profile = profile_class(self.g, compatibility_mode=self.compatibility_mode)
            profile._org_cache = self._organisations
            profile.graph_from_dataset(dataset_dict, dataset_ref)
        return dataset_ref

    def new_graph(self) -> None:
        """Start an empty graph for the next dataset (or the page's own part).

        The graphs of one serializer share a namespace manager: each new one
        would bind rdflib's ~30 namespaces again, and the prefixed names
        computed for one graph serve the next. (A plain graph: ckanext-dcat's
        ``ConjunctiveGraph`` is deprecated, and Turtle is written the same.)
        """
        self.g = Graph(namespace_manager=self.g.namespace_manager)


@dataclass
class DatasetPart:
    """A dataset's part of a Turtle page: its own statements and the shared ones."""

    turtle: str
    shared: list[str]

    def text(self) -> str:
        """As kept in the cache: the N-Triples lines, a blank line, then the Turtle."""
        return "\n".join(self.shared) + "\n\n" + self.turtle

    @classmethod
    def from_text(cls, text: str) -> "DatasetPart":
        """The part :meth:`text` wrote (N-Triples lines are never empty)."""
        shared, _blank, turtle = text.partition("\n\n")
        return cls(turtle=turtle, shared=shared.split("\n") if shared else [])


def _own_subjects(graph: Graph, dataset_ref: URIRef) -> set[Node]:
    """The dataset, its distributions and the blank nodes only they point to."""
    own: set[Node] = {dataset_ref, *(distribution for distribution
                                     in graph.objects(dataset_ref, DCAT.distribution)
                                     if isinstance(distribution, URIRef))}
    shared_blank: set[Node] = set()
    pending = [subject for subject in set(graph.subjects())
               if subject not in own and not isinstance(subject, BNode)]
    while pending:  # blank nodes a shared subject points to stay with it
        for node in graph.objects(pending.pop(), None):
            if isinstance(node, BNode) and node not in shared_blank:
                shared_blank.add(node)
                pending.append(node)
    own.update(subject for subject in set(graph.subjects())
               if isinstance(subject, BNode) and subject not in shared_blank)
    return own


def dataset_part(serializer: Serializer, dataset_dict: dict[str, Any]) -> DatasetPart:
    """Build a dataset's graph and split it into its own Turtle and the shared lines."""
    serializer.new_graph()
    dataset_ref = serializer.graph_from_dataset(dataset_dict)
    graph = serializer.g
    graph.add((URIRef(catalog_uri()), DCAT.dataset, dataset_ref))
    own_subjects = _own_subjects(graph, dataset_ref)
    own = Graph(namespace_manager=graph.namespace_manager)
    shared = Graph(bind_namespaces="none")
    for triple in graph.triples((None, None, None)):
        (own if triple[0] in own_subjects else shared).add(triple)
    lines = sorted(line for line in shared.serialize(format="nt").split("\n") if line)
    return DatasetPart(turtle=own.serialize(format="turtle"), shared=lines)


def _split_prefixes(turtle: str) -> tuple[list[tuple[str, str]], str]:
    """The ``@prefix`` lines rdflib writes first, and the statements after them."""
    prefixes = []
    lines = turtle.split("\n")
    index = 0
    while index < len(lines):
        match = _PREFIX_LINE.fullmatch(lines[index])
        if match is None:
            break
        prefixes.append((match.group(1), match.group(2)))
        index += 1
    return prefixes, "\n".join(lines[index:]).strip("\n")


def assemble(head: str, parts: list[DatasetPart]) -> str:
    """One Turtle document: the page's own part, each dataset's, then the shared lines once.

    The prefixes are declared once at the top when every part gives each the same
    namespace; otherwise each part is preceded by the declarations it needs.
    """
    pieces = [_split_prefixes(text) for text in [head, *(part.turtle for part in parts)]]
    declared: dict[str, str] = {}
    consistent = True
    for prefixes, _body in pieces:
        for prefix, namespace in prefixes:
            consistent = consistent and declared.setdefault(prefix, namespace) == namespace
    blocks: list[str] = []
    if consistent:
        blocks.append("\n".join(_declaration(*item) for item in sorted(declared.items())))
        blocks += [body for _prefixes, body in pieces]
    else:
        current: dict[str, str] = {}
        for prefixes, body in pieces:
            changed = [_declaration(prefix, namespace) for prefix, namespace in prefixes
                       if current.get(prefix) != namespace]
            current.update(prefixes)
            blocks += ["\n".join(changed), body]
    blocks.append("\n".join(dict.fromkeys(line for part in parts for line in part.shared)))
    return "\n\n".join(block for block in blocks if block) + "\n"


def _declaration(prefix: str, namespace: str) -> str:
    return f"@prefix {prefix}: <{namespace}> ."


def _parts(serializer: Serializer, dataset_dicts: list[dict[str, Any]],
           profiles: Optional[list[str]]) -> list[DatasetPart]:
    """Each dataset's part, from the cache or built (and then kept)."""
    keys = cache.keys(dataset_dicts, "part", profiles)
    kept = cache.get_many(keys)
    parts: list[DatasetPart] = []
    built: dict[str, str] = {}
    for dataset_dict, key, text in zip(dataset_dicts, keys, kept):
        if text is not None:
            parts.append(DatasetPart.from_text(text))
            continue
        part = dataset_part(serializer, dataset_dict)
        parts.append(part)
        if key:
            built[key] = part.text()
    cache.put_many(built)
    return parts


def catalogue_page(action: str, context: dict[str, Any], data_dict: dict[str, Any]) -> str:
    """A page of the catalogue, as ckanext-dcat's ``dcat_catalog_show`` (or ``_search``) gives it.

    :param action: the action asked, whose authorisation applies
    :param data_dict: ``format``, ``page``, ``modified_since``, ``q``, ``fq``,
        ``profiles``, already checked (see ``actions``)
    """
    tk.check_access(action, context, data_dict)
    # ckanext-dcat's own search and paging, so that the pages are the stock ones
    query = _search_ckan_datasets(context, data_dict)
    pagination_info = _pagination_info(query, data_dict)
    # an unpublished project is private, so never found; this holds if it were not
    query["results"] = [entry for entry in query["results"] if exported(entry)]
    profiles = data_dict.get("profiles")
    serializer = Serializer(profiles=profiles)
    _format = data_dict.get("format") or "xml"
    if _format != TURTLE or not cache.ttl() or tk.asbool(
            tk.config.get("ckanext.dcat.expose_subcatalogs")):
        return serializer.serialize_catalog({}, query["results"], _format=_format,
                                            pagination_info=pagination_info)
    with shared_reads():
        parts = _parts(serializer, query["results"], profiles)
    serializer.new_graph()
    serializer.graph_from_catalog({})
    if pagination_info:
        serializer._add_pagination_triples(pagination_info)
    return assemble(serializer.g.serialize(format="turtle"), parts)


def dataset_document(context: dict[str, Any], data_dict: dict[str, Any]) -> str:
    """One dataset, as ckanext-dcat's ``dcat_dataset_show`` gives it, from the cache when kept.

    :param data_dict: ``id``, ``format``, ``profiles``, already checked
    """
    tk.check_access("dcat_dataset_show", context, data_dict)
    dataset_dict = tk.get_action("package_show")(context, data_dict)
    if not exported(dataset_dict):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    profiles = data_dict.get("profiles")
    _format = data_dict.get("format") or "xml"
    return cache.kept_or_written(
        dataset_dict, f"document.{_format}", profiles,
        lambda: Serializer(profiles=profiles).serialize_dataset(dataset_dict, _format=_format))
