"""ckanext-scheming schemas and presets of the conference catalogue (YAML)."""
