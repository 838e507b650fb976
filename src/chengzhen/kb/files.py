"""The data directory's global files, by name.

Kept apart from the loader (which imports YAML and the model) because every
command's freshness check needs these names (store/freshness.py) and must
stay cheap to import."""

# the vocabularies and the national plan: a change to any of them rebuilds every plan
VOCABULARY_FILES = ("topics.yaml", "departments.yaml", "indicators.yaml", "national.yaml")
