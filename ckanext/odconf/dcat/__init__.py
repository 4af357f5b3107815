"""The catalogue in RDF: ckanext-dcat profiles and the themes of each edition as SKOS."""
