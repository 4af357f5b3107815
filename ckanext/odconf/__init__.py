"""ckanext-odconf: the National Open Data Conference catalogue for CKAN."""
