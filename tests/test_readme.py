"""README.rst stays true to the code: every declared option is documented."""
from __future__ import annotations

import pathlib

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
