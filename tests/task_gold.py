"""Gold list: the national key tasks × the provincial units that certainly
carry them (from /work/task-map/GOLD.md, derived independently of the curated
mapping: for each of the 19 key tasks the provincial plans were searched for
the terms that mark the task, every hit re-read in full, and only units that
certainly carry the task listed).  An empty list: the province certainly
has no unit carrying the task.  Policy measures (national/5.x), organisation
and liupanshui are not part of the gold list.

    .venv/bin/python tests/task_gold.py        # the mapping's precision and recall against it
"""

from __future__ import annotations

GOLD_PLANS = ("guizhou", "qinghai", "hunan", "hebei")

GOLD: dict[str, dict[str, list[str]]] = {
    "national/1.1": {"guizhou": ["guizhou/2.1"], "qinghai": ["qinghai/3.6"], "hunan": ["hunan/2.1.1"], "hebei": ["hebei/2.1.1"]},
    "national/1.2": {"guizhou": ["guizhou/2.2"], "qinghai": ["qinghai/3.7"], "hunan": ["hunan/2.1.1"], "hebei": ["hebei/2.1.2"]},
    "national/1.3": {"guizhou": ["guizhou/2.3"], "qinghai": ["qinghai/3.8"], "hunan": ["hunan/2.1.2"], "hebei": ["hebei/2.1.3"]},
    "national/1.4": {"guizhou": ["guizhou/2.4"], "qinghai": ["qinghai/3.9"], "hunan": ["hunan/2.1.3"], "hebei": ["hebei/2.1.4"]},
    "national/1.5": {"guizhou": ["guizhou/2.5"], "qinghai": ["qinghai/3.10"], "hunan": ["hunan/2.1.4"], "hebei": ["hebei/2.1.5"]},
    "national/1.6": {"guizhou": ["guizhou/2.6"], "qinghai": ["qinghai/3.11"], "hunan": ["hunan/2.1.5"], "hebei": ["hebei/2.1.6"]},
    "national/2.1": {"guizhou": ["guizhou/3.1"], "qinghai": ["qinghai/4.14"], "hunan": ["hunan/2.2.6"], "hebei": ["hebei/2.2.1"]},
    "national/2.2": {"guizhou": ["guizhou/3.2"], "qinghai": ["qinghai/4.16"], "hunan": ["hunan/2.2.7"], "hebei": ["hebei/2.2.2"]},
    "national/2.3": {"guizhou": ["guizhou/3.3"], "qinghai": ["qinghai/4.18"], "hunan": ["hunan/2.2.8"], "hebei": ["hebei/2.2.3"]},
    "national/2.4": {"guizhou": ["guizhou/3.6"], "qinghai": ["qinghai/4.15"], "hunan": ["hunan/2.2.9"], "hebei": ["hebei/2.2.4"]},
    "national/3.1": {"guizhou": ["guizhou/4.2"], "qinghai": ["qinghai/5.23"], "hunan": ["hunan/2.3.10"], "hebei": ["hebei/2.3.1", "hebei/2.3.2"]},
    "national/3.2": {"guizhou": ["guizhou/4.2"], "qinghai": ["qinghai/5.24"], "hunan": ["hunan/2.3.11"], "hebei": ["hebei/2.3.1", "hebei/2.3.2"]},
    "national/3.3": {"guizhou": [], "qinghai": ["qinghai/5.26"], "hunan": ["hunan/2.3.12"], "hebei": ["hebei/2.3.1"]},
    "national/3.4": {"guizhou": [], "qinghai": ["qinghai/5.25"], "hunan": ["hunan/2.3.13"], "hebei": ["hebei/2.3.1", "hebei/2.3.2"]},
    "national/4.1": {"guizhou": ["guizhou/5.1"], "qinghai": ["qinghai/6.28"], "hunan": ["hunan/2.4.14"], "hebei": ["hebei/2.4.1"]},
    "national/4.2": {"guizhou": ["guizhou/5.1"], "qinghai": ["qinghai/6.29"], "hunan": ["hunan/2.4.14"], "hebei": ["hebei/2.4.2"]},
    "national/4.3": {"guizhou": ["guizhou/5.2"], "qinghai": ["qinghai/6.30"], "hunan": ["hunan/2.4.16"], "hebei": ["hebei/2.4.3"]},
    "national/4.4": {"guizhou": ["guizhou/5.2"], "qinghai": ["qinghai/6.31"], "hunan": ["hunan/2.4.15"], "hebei": ["hebei/2.4.4"]},
    "national/4.5": {"guizhou": ["guizhou/5.3", "guizhou/5.4"], "qinghai": ["qinghai/6.33", "qinghai/6.34"],
                     "hunan": ["hunan/2.4.17"], "hebei": ["hebei/2.4.5", "hebei/2.4.6"]},
}


def gold_pairs() -> set[tuple[str, str]]:
    return {(task, unit) for task, by in GOLD.items() for units in by.values() for unit in units}


def mapped_pairs(bodies) -> set[tuple[str, str]]:
    """(task, unit) for every measure of the gold's plans that names one of the gold's tasks."""
    return {(task, m.id) for body in bodies for m in body.measures if m.plan in GOLD_PLANS
            for task in m.tasks if task in GOLD}


def score(bodies) -> dict:
    """Precision (mapped pairs the gold confirms) and recall (gold pairs mapped)."""
    gold = gold_pairs()
    mapped = mapped_pairs(bodies)
    tp = len(gold & mapped)
    return {"gold": len(gold), "mapped": len(mapped), "agree": tp,
            "precision": tp / len(mapped) if mapped else 1.0, "recall": tp / len(gold),
            "missing": sorted(gold - mapped), "extra": sorted(mapped - gold)}


if __name__ == "__main__":  # pragma: no cover
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(repo / "src"))
    from chengzhen.kb.loader import iter_bundles, load_kb

    kb = load_kb(repo / "data")
    s = score([b.body for b in iter_bundles(kb, set(GOLD_PLANS))])
    print(f"gold pairs {s['gold']}, mapped pairs {s['mapped']}, in both {s['agree']}: "
          f"precision {s['precision']:.3f}, recall {s['recall']:.3f}")
    for task, unit in s["extra"]:
        print(f"  mapped, not in the gold: {task} {unit}")
    for task, unit in s["missing"]:
        print(f"  gold, not mapped: {task} {unit}")
