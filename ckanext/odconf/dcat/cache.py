"""The serialised RDF of each dataset, kept in CKAN's Redis and keyed by everything it is made of.

Building a dataset's graph and serialising it is most of the time of a page of
``/catalog.ttl``. A serialisation is kept under a key that names all it was
made from, so that a change to any of them makes a new key (the old entry is
then never read again and expires):

- the dataset dict being serialised (its content, ``metadata_modified`` among
  it, not only that: an organisation or a resource changed without it would
  otherwise be missed);
- what the profiles read beside the dataset, as a stamp of the current rows:
  its organisation (ckanext-dcat names the publisher from it), its conference
  edition (themes, topics, labels, description) and the edition's organisers,
  the reference entries it cites (name, address, title, visibility), and, for
  a hackathon project, the entries it used;
- for a reference entry, the ids of the public entries citing it (its graph
  lists them as ``dct:isReferencedBy``), read once for the stamp and the graph.
- the profile list, the format, the catalogue's base URI, ckanext-dcat's
  options, and the code and schemas of this process (a deployment of new code
  or labels makes new keys).

The search backend's index state is not used: it changes at every indexed
write anywhere (one edit would make every dataset's entry new), and it does not
change at all when a conference's labels or a reference entry's visibility
change without reindexing the datasets that show them.

Only types whose dependencies are listed here are kept (``CACHED_TYPES``).
Redis being unavailable only costs the cache.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import pathlib
import sys
from typing import Any, Callable, Iterable, Mapping, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from ckanext.dcat.utils import catalog_uri
from sqlalchemy import text

from ckanext.odconf.dcat.profile import citing_entries, shared_reads
from ckanext.odconf.hackathon.projects import PROJECT_TYPE
from ckanext.odconf.logic.conference import REFERENCE_TYPE
from ckanext.odconf.logic import values

log = logging.getLogger(__name__)

_PREFIX = "odconf_dcat"
#: Dataset types whose every outside dependency has a stamp below.
CACHED_TYPES = frozenset({"dataset", PROJECT_TYPE, REFERENCE_TYPE})
_code_stamp: Optional[str] = None


def ttl() -> int:
    """Seconds a serialisation is kept (``odconf.dcat.cache_ttl``); 0 turns the cache off."""
    return tk.asint(tk.config.get("odconf.dcat.cache_ttl"))


def _digest(value: Any) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _entries_named(dataset_dict: Mapping[str, Any]) -> list[str]:
    """The entries a dataset names: those it cites and, for a project, those it used
    (outside addresses depend on nothing)."""
    names = []
    for field in ("references", "datasets_used"):
        value = values.parse_json(dataset_dict.get(field))
        names += [name for name in (value if isinstance(value, list) else [])
                  if isinstance(name, str) and name and not values.URL.match(name)]
    return names


def _sources() -> str:
    """A digest of the source files of this extension and of ckanext-dcat.

    Read when this module is imported, as the process loads its code (a file
    changed later is not the code it runs), so that a deployment of changed
    profile code makes new keys without a version bump.
    """
    digests = []
    for package in ("ckanext.dcat", "ckanext.odconf"):
        folder = pathlib.Path(sys.modules[package].__path__[0])
        for path in sorted(folder.rglob("*.py")):
            if "tests" not in path.relative_to(folder).parts:
                digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    return _digest([digests, importlib.metadata.version("rdflib")])


_SOURCES = _sources()


def code_stamp() -> str:
    """The code, schemas, licences and DCAT options of this process (computed once)."""
    global _code_stamp
    if _code_stamp is None:
        licenses = [(license.id, license.url, license.title)
                    for license in model.Package.get_license_register().values()]
        options = {key: value for key, value in tk.config.items()
                   if key.startswith(("ckanext.dcat.", "ckan.locale")) or key == "odconf.licenses"}
        _code_stamp = _digest([_SOURCES, tk.h.scheming_dataset_schemas(), licenses, options])
    return _code_stamp


# The stamp of a group or an entry: a digest of its row (but ``plugin_data``,
# which plugins rewrite at will) and of its extras, computed by PostgreSQL (a
# conference's extras hold its whole programme: hashing them in Python, through
# the ORM, cost a dataset page about 10 ms). A key may be an id or a name.
_STAMPS = """
    SELECT main.id, main.name,
           md5((to_jsonb(main) - 'plugin_data')::text || coalesce((
               SELECT string_agg(concat_ws(E'\\x1f', extra.key, extra.value, extra.state),
                                 E'\\x1e' ORDER BY extra.key, extra.id)
               FROM {extras} AS extra WHERE extra.{owner} = main.id), '')) AS stamp,
           {organisers} AS organisers
    FROM {table} AS main
    WHERE main.id = ANY(:keys) OR main.name = ANY(:keys)
"""
_ORGANISERS = ("(SELECT value FROM group_extra WHERE group_id = main.id AND key = 'organisers'"
               " ORDER BY state = 'active' DESC LIMIT 1)")
_GROUP_STAMPS = text(_STAMPS.format(table='"group"', extras="group_extra", owner="group_id",
                                    organisers=_ORGANISERS))
_ENTRY_STAMPS = text(_STAMPS.format(table="package", extras="package_extra", owner="package_id",
                                    organisers="NULL"))


def _rows(statement: Any, keys: Iterable[str]) -> dict[str, tuple[str, Optional[str]]]:
    """``{key: (stamp, organisers)}`` of the groups or entries named or identified by ``keys``."""
    wanted = sorted({key for key in keys if key})
    if not wanted:
        return {}
    rows = model.Session.execute(statement, {"keys": wanted})
    return {key: (row.stamp, row.organisers) for row in rows
            for key in (row.id, row.name) if key in wanted}


def _organisers(value: Optional[str]) -> list[str]:
    names = values.parse_json(value)
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


class _Stamps:
    """The current stamps of what the datasets of one page depend on: three statements, and
    one for each reference entry among them (its citers, shared with its graph)."""

    def __init__(self, dataset_dicts: list[dict[str, Any]]) -> None:
        editions = _rows(_GROUP_STAMPS, (dataset_dict.get("conference") or ""
                                         for dataset_dict in dataset_dicts))
        self._organisers = {key: _organisers(organisers) for key, (_, organisers) in editions.items()}
        others = _rows(_GROUP_STAMPS, {dataset_dict.get("owner_org") or ""
                                       for dataset_dict in dataset_dicts}
                       | {name for names in self._organisers.values() for name in names})
        self._groups = {key: stamp for key, (stamp, _) in {**editions, **others}.items()}
        self._entries = {key: stamp for key, (stamp, _) in _rows(_ENTRY_STAMPS, (
            name for dataset_dict in dataset_dicts for name in _entries_named(dataset_dict))).items()}

    def of(self, dataset_dict: dict[str, Any]) -> list[Any]:
        """The stamps of one dataset's dependencies (None for one that does not exist)."""
        edition = dataset_dict.get("conference") or ""
        groups = [dataset_dict.get("owner_org"), dataset_dict.get("conference"),
                  *self._organisers.get(edition, [])]
        citers = (citing_entries(dataset_dict.get("name") or "")
                  if dataset_dict.get("type") == REFERENCE_TYPE else [])
        return [[(key, self._groups.get(key or "")) for key in groups],
                [(name, self._entries.get(name)) for name in _entries_named(dataset_dict)],
                citers]


def keys(dataset_dicts: list[dict[str, Any]], kind: str,
         profiles: Optional[list[str]]) -> list[Optional[str]]:
    """The cache key of each dataset's serialisation of ``kind``; None when it is not kept.

    Call it before building anything: the stamps are read first, so a
    serialisation is never older than the key it is kept under.
    """
    if not ttl():
        return [None] * len(dataset_dicts)
    stamps = _Stamps(dataset_dicts)
    common = [code_stamp(), kind, profiles or [], catalog_uri()]
    site = tk.config.get("ckan.site_id")
    return [
        f"{_PREFIX}:{site}:{kind}:{_digest([common, dataset_dict, stamps.of(dataset_dict)])}"
        if dataset_dict.get("type") in CACHED_TYPES else None
        for dataset_dict in dataset_dicts
    ]


def get_many(cache_keys: list[Optional[str]]) -> list[Optional[str]]:
    """The kept serialisations (None where there is none or no key)."""
    wanted = [key for key in cache_keys if key]
    if not wanted:
        return [None] * len(cache_keys)
    try:
        found = dict(zip(wanted, connect_to_redis().mget(wanted)))
    except Exception as error:  # the catalogue is served without its cache
        log.warning("odconf DCAT cache unavailable: %s", error)
        return [None] * len(cache_keys)
    return [found[key].decode() if key and found.get(key) is not None else None
            for key in cache_keys]


def put_many(entries: Mapping[str, str]) -> None:
    """Keep serialisations for ``ttl()`` seconds."""
    if not entries:
        return
    try:
        pipeline = connect_to_redis().pipeline(transaction=False)
        for key, text in entries.items():
            pipeline.set(key, text.encode(), ex=ttl())
        pipeline.execute()
    except Exception as error:
        log.warning("odconf DCAT cache unavailable: %s", error)


def kept_or_written(dataset_dict: dict[str, Any], kind: str, profiles: Optional[list[str]],
                    write: Callable[[], str]) -> str:
    """One dataset's serialisation of ``kind``: the kept one, else ``write()``'s, then kept.

    The key and ``write()`` share their reads (a reference entry's citers are
    read once for both).
    """
    with shared_reads():
        (key,) = keys([dataset_dict], kind, profiles)
        (text,) = get_many([key])
        if text is None:
            text = write()
            if key:
                put_many({key: text})
    return text
