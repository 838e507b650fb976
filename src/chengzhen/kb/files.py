"""The data directory's files, by name.

Kept apart from the loader (which imports YAML and the model) because every
command's freshness check needs these names (store/freshness.py) and must
stay cheap to import.

    plans/<id>.yaml        one plan: its catalogue entry (`plan:`) and its body
    sources/<id>.txt       its source, byte for byte as supplied
    vocabulary/<id>.yaml   vocabulary entries added with plan <id> (departments, indicators)
    topics.yaml, departments.yaml, indicators.yaml, national.yaml
    plans.yaml             optional: the order plans are listed in
    drafts/<id>.yaml, drafts/<id>.txt, drafts/<id>.vocabulary.yaml
                           a pending draft: what `cz ingest` drafted and validation refuses as it
                           stands, until `cz ingest --finish <id>` (ingest/pending.py); never loaded
"""

from __future__ import annotations

import os
from pathlib import Path

PLANS_DIR = "plans"
SOURCES_DIR = "sources"
VOCABULARY_DIR = "vocabulary"
# pending drafts (ingest/pending.py): neither the loader nor the build reads this folder
DRAFTS_DIR = "drafts"
# the order plans are listed in (optional; a plan it does not name follows, by id)
ORDER_FILE = "plans.yaml"
# the shared vocabularies and the national plan: a change to any of them (or
# to a file of VOCABULARY_DIR) rebuilds every plan
VOCABULARY_FILES = ("topics.yaml", "departments.yaml", "indicators.yaml", "national.yaml")

# the place vocabulary (docs/places.md): a change to either rebuilds every
# plan (each target's scope is read with it)
PLACE_FILES = ("places.tsv", "places.yaml")
# realized values, one file per place (docs/progress.md): a changed file
# replaces only its own rows
STATISTICS_DIR = "statistics"


def listed(root: Path, sub: str, suffix: str = "") -> list[str]:
    """The names in ``root/sub`` ending with ``suffix``, sorted (hidden files
    — an editor's or an ingest's temporary files — left out)."""
    try:
        names = os.listdir(str(root) + "/" + sub)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(n for n in names if n.endswith(suffix) and not n.startswith("."))


def pending_files(plan_id: str) -> dict[str, str]:
    """Each file of a plan (relative path) → where it waits while its draft
    is pending; the plan file last (written last, it makes the others count)."""
    return {f"{SOURCES_DIR}/{plan_id}.txt": f"{DRAFTS_DIR}/{plan_id}.txt",
            f"{VOCABULARY_DIR}/{plan_id}.yaml": f"{DRAFTS_DIR}/{plan_id}.vocabulary.yaml",
            f"{PLANS_DIR}/{plan_id}.yaml": f"{DRAFTS_DIR}/{plan_id}.yaml"}


def plan_file_ids(root: Path) -> list[str]:
    """The plans of a data directory: the names of its plan files, sorted."""
    return [n[:-5] for n in listed(root, PLANS_DIR, ".yaml")]


def is_data_dir(root: Path) -> bool:
    """Does ``root`` look like a data directory (it has plan files' folder)?"""
    return (Path(root) / PLANS_DIR).is_dir()
