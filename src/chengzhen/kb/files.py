"""The data directory's global files, by name.

Kept apart from the loader (which imports YAML and the model) because every
command's freshness check needs these names (store/freshness.py) and must
stay cheap to import."""

# the vocabularies and the national plan: a change to any of them rebuilds every plan
VOCABULARY_FILES = ("topics.yaml", "departments.yaml", "indicators.yaml", "national.yaml")

# the place vocabulary (docs/places.md): a change to either rebuilds every
# plan (each target's scope is read with it)
PLACE_FILES = ("places.tsv", "places.yaml")
# realized values, one file per place (docs/progress.md): a changed file
# replaces only its own rows
STATISTICS_DIR = "statistics"
