"""Real files for the example entries (``ckan odconf load --examples``).

The example entries are not conference datasets, but the files they carry
hold true data, built here from sources available offline and never typed
by hand: the conference's programme (its agenda as CSV and JSON, the
publications it cites as CSV), read from the checked programme file, and
Cambodia's provinces with their ISO 3166-2:KH codes, read from the
``pycountry`` package. Each file says where its data comes from and under
which licence it is recorded.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from importlib import metadata
from typing import Any, Iterable, Mapping, Optional

import pycountry
from werkzeug.datastructures import FileStorage

from ckanext.odconf.programme.examples import KHMER_DIGITS

#: The licence recorded for files built from the programme. The organisers
#: (ODC and TAF) published the concept note and agenda without a licence
#: statement, and nobody else can grant one on their behalf: CKAN's
#: "License not specified" is the true record.
PROGRAMME_LICENSE = "notspecified"
#: The licence recorded for the provinces. pycountry, and the iso-codes data it
#: ships, are under the GNU LGPL 2.1 or later (pycountry's COPYRIGHT.txt), a free
#: licence CKAN's licence list does not name: "Other (Open)", with the licence
#: named in the file's description.
PROVINCES_LICENSE = "other-open"
COUNTRY = "KH"
#: pycountry's subdivision types in Khmer, for the provinces' description.
KHMER_TYPES = {"Province": "ខេត្ត", "Autonomous municipality": "រាជធានី"}

AGENDA_CSV, AGENDA_JSON = "agenda-csv", "agenda-json"
REFERENCES_CSV, PROVINCES_CSV = "references-csv", "provinces-csv"
#: The files of the examples of one theme or room, in the order of its examples
#: (the last set also for any further example, such as a topic's). The theme's
#: first example carries its sessions (the agenda, which every theme, room and
#: hackathon session is in), the second the publications cited, which are the
#: background of every breakout discussion.
THEME_FILES = ((AGENDA_CSV, AGENDA_JSON), (REFERENCES_CSV,), (AGENDA_CSV,))
#: Files added for the examples of some themes: the provinces are the units
#: in which public services and sustainable development are planned and reported.
MORE_FILES = {"public-services": (PROVINCES_CSV,), "sustainable-development": (PROVINCES_CSV,)}
#: The files of an example without a theme (a hackathon project): the agenda,
#: which holds the hackathon's sessions.
PROJECT_FILES = (AGENDA_CSV,)

AGENDA_COLUMNS = (
    "id", "day", "date", "start", "end", "kind", "title", "title_km", "presenters",
    "organisations", "themes", "references", "tbc",
)
REFERENCE_COLUMNS = (
    "name", "title", "title_km", "document_kind", "publisher", "contributors",
    "publication_date", "language", "url", "cited_in_sessions",
)
PROVINCE_COLUMNS = ("code", "name", "type")
#: How lists are written inside one CSV cell.
LIST_SEPARATOR = "; "


@dataclasses.dataclass(frozen=True)
class ExampleFile:
    """One file to upload, with the resource metadata it is shown with."""

    key: str
    filename: str
    content: bytes
    mimetype: str
    format: str
    name: dict[str, str]
    description: dict[str, str]
    license_id: str

    @property
    def sha256(self) -> str:
        """The content's digest, kept as the resource's ``hash``: a second load
        compares it to know whether the stored file is still the same."""
        return "sha256:" + hashlib.sha256(self.content).hexdigest()

    def file_storage(self) -> FileStorage:
        """The file as an upload, the way CKAN's upload form hands it to ``resource_create``."""
        return FileStorage(io.BytesIO(self.content), filename=self.filename, content_type=self.mimetype)

    def resource(self) -> dict[str, Any]:
        """The resource fields (``resource_create``), without the upload itself."""
        return {
            "name": self.name["en"],
            "name_translated": dict(self.name),
            "description": self.description["en"],
            "description_translated": dict(self.description),
            "format": self.format,
            "license_id": self.license_id,
            "hash": self.sha256,
        }


def _csv(columns: Iterable[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    # with a byte order mark, spreadsheets open the Khmer text as UTF-8
    return stream.getvalue().encode("utf-8-sig")


def _cell(values: Optional[Iterable[Any]]) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values or [])


def _khmer_digits(number: int) -> str:
    return str(number).translate(KHMER_DIGITS)


# The agenda --------------------------------------------------------------


def agenda_sessions(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The programme's sessions in its order, each with its day's date and the
    themes and rooms held in it (``Programme.data``)."""
    dates = {day["day"]: day.get("date") for day in data.get("days") or []}
    themes: dict[str, list[str]] = {}
    for theme in data.get("themes") or []:
        themes.setdefault(theme.get("session"), []).append(theme["slug"])
    return [
        {
            "id": session["id"],
            "day": session["day"],
            "date": dates.get(session["day"]),
            "start": session["start"],
            "end": session["end"],
            "kind": session["kind"],
            "title": dict(session.get("title") or {}),
            "presenters": list(session.get("presenters") or []),
            "organisations": list(session.get("organisations") or []),
            "themes": themes.get(session["id"], []),
            "references": list(session.get("references") or []),
            "tbc": bool(session.get("tbc")),
        }
        for session in data.get("agenda") or []
    ]


def agenda_csv(data: Mapping[str, Any]) -> bytes:
    """The agenda, one row per session (lists joined with ``; ``)."""
    return _csv(AGENDA_COLUMNS, (
        dict(session,
             title=session["title"].get("en", ""),
             title_km=session["title"].get("km", ""),
             presenters=_cell(session["presenters"]),
             organisations=_cell(session["organisations"]),
             themes=_cell(session["themes"]),
             references=_cell(session["references"]),
             tbc="true" if session["tbc"] else "false")
        for session in agenda_sessions(data)
    ))


def agenda_json(data: Mapping[str, Any]) -> bytes:
    """The agenda as a JSON document: the edition, its time zone and its sessions."""
    document = {
        "edition": data["edition"],
        "title": dict(data.get("title") or {}),
        "venue": data.get("venue"),
        "time_zone": data.get("time_zone"),
        "sessions": agenda_sessions(data),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# The publications ----------------------------------------------------------


def reference_rows(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The publications the programme cites, with the organisations' titles and
    the sessions that present each one."""
    titles = {entry["name"]: entry.get("title") or entry["name"] for entry in data.get("organisations") or []}
    sessions: dict[str, list[str]] = {}
    for session in data.get("agenda") or []:
        for name in session.get("references") or []:
            sessions.setdefault(name, []).append(session["id"])
    return [
        {
            "name": entry["name"],
            "title": (entry.get("title") or {}).get("en", ""),
            "title_km": (entry.get("title") or {}).get("km", ""),
            "document_kind": entry.get("document_kind") or "",
            "publisher": titles.get(entry.get("publisher"), entry.get("publisher") or ""),
            "contributors": _cell(titles.get(name, name) for name in entry.get("contributors") or []),
            "publication_date": entry.get("publication_date") or "",
            "language": _cell(entry.get("language")),
            "url": entry.get("url") or "",
            "cited_in_sessions": _cell(sessions.get(entry["name"])),
        }
        for entry in data.get("references") or []
    ]


def references_csv(data: Mapping[str, Any]) -> bytes:
    """The cited publications, one row each, in the programme's order."""
    return _csv(REFERENCE_COLUMNS, reference_rows(data))


# The provinces -------------------------------------------------------------


def provinces() -> list[dict[str, str]]:
    """Cambodia's first-level subdivisions as pycountry lists them, by code number."""
    subdivisions = pycountry.subdivisions.get(country_code=COUNTRY) or []
    return [
        {"code": subdivision.code, "name": subdivision.name, "type": subdivision.type}
        for subdivision in sorted(subdivisions, key=lambda item: int(item.code.rsplit("-", 1)[1]))
    ]


def provinces_csv() -> bytes:
    """Cambodia's provinces and capital, with their ISO 3166-2:KH codes."""
    return _csv(PROVINCE_COLUMNS, provinces())


# The files and the examples that carry them ------------------------------------


def _programme_source(data: Mapping[str, Any]) -> dict[str, str]:
    return {
        "en": (
            f"Source: the programme of the {data['title']['en']} as its organisers published it "
            "in the concept note and agenda (the programme file of this catalogue). The "
            "organisers state no licence for it, so none is recorded (\"License not specified\")."
        ),
        "km": (
            f"ប្រភព៖ កម្មវិធីនៃ{data['title'].get('km') or data['title']['en']} ដូចដែលអ្នករៀបចំបានផ្សព្វផ្សាយ"
            "នៅក្នុងកំណត់សម្គាល់គោលគំនិត និងរបៀបវារៈ (ឯកសារកម្មវិធីនៃកាតាឡុកនេះ)។ "
            "អ្នករៀបចំមិនបានបញ្ជាក់អាជ្ញាប័ណ្ណសម្រាប់វាទេ "
            "ដូច្នេះគ្មានអាជ្ញាប័ណ្ណណាមួយត្រូវបានកត់ត្រាឡើយ (\"License not specified\")។"
        ),
    }


def example_files(data: Mapping[str, Any]) -> dict[str, ExampleFile]:
    """Every file the examples of a checked programme carry, by key."""
    edition = data["edition"]
    title = data["title"]
    title_km = title.get("km") or title["en"]
    sessions = len(data.get("agenda") or [])
    references = len(data.get("references") or [])
    source = _programme_source(data)
    subdivisions = provinces()
    kinds = {kind: sum(1 for row in subdivisions if row["type"] == kind)
             for kind in dict.fromkeys(row["type"] for row in subdivisions)}
    kinds_km = "; ".join(f"{KHMER_TYPES.get(kind, kind)}៖ {_khmer_digits(count)}"
                         for kind, count in kinds.items())
    version = metadata.version("pycountry")
    agenda_about = {
        "en": (
            f"The {sessions} sessions of the agenda: day, date, start and end (local time, "
            f"{data.get('time_zone')}), kind, title in English and Khmer, presenters, organisations, "
            "themes and rooms held in the session, publications presented, and whether the "
            "session was still to be confirmed (tbc)."
        ),
        "km": (
            f"វគ្គទាំង {_khmer_digits(sessions)} នៃរបៀបវារៈ៖ ថ្ងៃ កាលបរិច្ឆេទ ម៉ោងចាប់ផ្ដើម "
            "និងម៉ោងបញ្ចប់ (ម៉ោងក្នុងស្រុក "
            f"{data.get('time_zone')}) ប្រភេទ ចំណងជើងជាភាសាអង់គ្លេស និងភាសាខ្មែរ អ្នកធ្វើបទបង្ហាញ ស្ថាប័ន "
            "ប្រធានបទ និងបន្ទប់ពិភាក្សាដែលប្រព្រឹត្តទៅក្នុងវគ្គនោះ ឯកសារដែលត្រូវបានបង្ហាញ "
            "និងថាតើវគ្គនោះនៅរង់ចាំការបញ្ជាក់ឬអត់ (tbc)។"
        ),
    }
    files = [
        ExampleFile(
            AGENDA_CSV, f"{edition}-agenda.csv", agenda_csv(data), "text/csv", "CSV",
            {"en": f"Agenda of the {title['en']} (CSV)", "km": f"របៀបវារៈនៃ{title_km} (CSV)"},
            {language: f"{agenda_about[language]}\n\n{source[language]}" for language in ("en", "km")},
            PROGRAMME_LICENSE,
        ),
        ExampleFile(
            AGENDA_JSON, f"{edition}-agenda.json", agenda_json(data), "application/json", "JSON",
            {"en": f"Agenda of the {title['en']} (JSON)", "km": f"របៀបវារៈនៃ{title_km} (JSON)"},
            {language: f"{agenda_about[language]}\n\n{source[language]}" for language in ("en", "km")},
            PROGRAMME_LICENSE,
        ),
        ExampleFile(
            REFERENCES_CSV, f"{edition}-references.csv", references_csv(data), "text/csv", "CSV",
            {"en": f"Publications cited by the {title['en']} (CSV)",
             "km": f"ឯកសារដែលបានយោងដោយ{title_km} (CSV)"},
            {
                "en": (
                    f"The {references} publications the conference cites: title, kind of document, "
                    "publisher, contributors, date of publication, language, web address (empty "
                    "where the programme gives none) and the sessions that present each one.\n\n"
                    f"{source['en']}"
                ),
                "km": (
                    f"ឯកសារទាំង {_khmer_digits(references)} ដែលសន្និសីទបានយោង៖ ចំណងជើង ប្រភេទឯកសារ "
                    "អ្នកបោះពុម្ពផ្សាយ អ្នករួមចំណែក កាលបរិច្ឆេទបោះពុម្ពផ្សាយ ភាសា អាសយដ្ឋានគេហទំព័រ "
                    "(ទុកទទេនៅកន្លែងដែលកម្មវិធីមិនបានផ្ដល់) និងវគ្គដែលបង្ហាញឯកសារនីមួយៗ។\n\n"
                    f"{source['km']}"
                ),
            },
            PROGRAMME_LICENSE,
        ),
        ExampleFile(
            PROVINCES_CSV, "cambodia-provinces-iso-3166-2-kh.csv", provinces_csv(), "text/csv", "CSV",
            {"en": "Provinces of Cambodia with their ISO 3166-2:KH codes (CSV)",
             "km": "ខេត្តនានានៃប្រទេសកម្ពុជា ជាមួយលេខកូដ ISO 3166-2:KH (CSV)"},
            {
                "en": (
                    f"The {len(subdivisions)} first-level subdivisions of Cambodia in ISO 3166-2:KH "
                    f"({'; '.join(f'{kind}: {count}' for kind, count in kinds.items())}): code, "
                    "name and type, as the pycountry package "
                    f"(version {version}) lists them from Debian's iso-codes data.\n\n"
                    "Licence: GNU Lesser General Public License 2.1 or later, the licence of "
                    "pycountry and its data, recorded as \"Other (Open)\"."
                ),
                "km": (
                    f"ការបែងចែករដ្ឋបាលថ្នាក់ទីមួយទាំង {_khmer_digits(len(subdivisions))} នៃប្រទេសកម្ពុជា "
                    f"តាម ISO 3166-2:KH ({kinds_km})៖ "
                    "លេខកូដ ឈ្មោះ និងប្រភេទ "
                    f"ដូចដែលកញ្ចប់ pycountry (កំណែ {version}) រាយបញ្ជីពីទិន្នន័យ iso-codes របស់ Debian។\n\n"
                    "អាជ្ញាប័ណ្ណ៖ GNU Lesser General Public License 2.1 ឬកំណែក្រោយ ដែលជាអាជ្ញាប័ណ្ណរបស់ "
                    "pycountry និងទិន្នន័យរបស់វា ដែលត្រូវបានកត់ត្រាជា \"Other (Open)\"។"
                ),
            },
            PROVINCES_LICENSE,
        ),
    ]
    return {file.key: file for file in files}


def files_by_entry(
    entries: Iterable[Mapping[str, Any]], files: Mapping[str, ExampleFile]
) -> dict[str, list[ExampleFile]]:
    """The files each example entry carries, by the entry's name (see THEME_FILES)."""
    found: dict[str, list[ExampleFile]] = {}
    seen: dict[str, int] = {}
    for entry in entries:
        theme = entry.get("theme")
        if not theme:
            keys: tuple[str, ...] = PROJECT_FILES
        else:
            position = seen[theme] = seen.get(theme, -1) + 1
            keys = THEME_FILES[min(position, len(THEME_FILES) - 1)]
            if position == 1:
                keys += MORE_FILES.get(theme, ())
        found[entry["name"]] = [files[key] for key in keys]
    return found
