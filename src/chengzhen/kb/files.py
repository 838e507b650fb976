"""The data directory's global input files (cheap to import: the freshness
check that every query runs needs the names, not the YAML loader)."""

# a change to any of them rebuilds every plan
VOCABULARY_FILES = ("topics.yaml", "departments.yaml", "indicators.yaml", "national.yaml")
