"""README.rst stays true to the code: every declared option is documented."""
from __future__ import annotations

import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
DECLARATIONS = [
    ROOT / "ckanext" / "odconf" / "config_declaration.yaml",
    ROOT / "ckanext" / "odconf" / "search" / "config_declaration.yaml",
]


def test_every_declared_option_is_in_the_configuration_reference():
    readme = (ROOT / "README.rst").read_text(encoding="utf-8")
    reference = readme.split("Configuration reference", 1)[1].split("\nEmbedded search\n", 1)[0]
    keys = [option["key"] for path in DECLARATIONS
            for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
            for option in group["options"]]
    assert len(keys) >= 3
    missing = [key for key in keys if f"``{key}``" not in reference]
    assert not missing, f"README.rst's configuration reference lacks {missing}"


def test_every_file_and_folder_of_the_layout_exists():
    readme = (ROOT / "README.rst").read_text(encoding="utf-8")
    layout = readme.split("\nLayout\n------\n", 1)[1].split("\nThe conference catalogue\n", 1)[0]
    named = set(re.findall(r"``([\w.-]+\.(?:py|yaml)|[\w-]+/(?:[\w-]+/)?)``", layout))
    package = ROOT / "ckanext" / "odconf"
    present = {path.name for path in package.rglob("*")} | {
        f"{path.relative_to(package)}/" for path in package.rglob("*") if path.is_dir()} | {
        "ckanext/odconf/", "tests/"}
    assert len(named) >= 20
    assert sorted(named - present) == []
