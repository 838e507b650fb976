"""Hand-checked counterparts: the national plan's tasks as each province
restates them (read side by side in the sources).  Each group is one task;
every two members of a group are an expected pair."""

GOLD_GROUPS = [
    # 农业转移人口市民化
    ["guizhou/2.2", "qinghai/3.7", "hunan/2.1.1", "hebei/2.1.2"],   # 常住地提供基本公共服务
    ["guizhou/2.3", "qinghai/3.8", "hunan/2.1.2", "hebei/2.1.3"],   # 稳定就业
    ["guizhou/2.4", "qinghai/3.9", "hunan/2.1.3", "hebei/2.1.4"],   # 随迁子女受教育权利
    ["guizhou/2.5", "qinghai/3.10", "hunan/2.1.4", "hebei/2.1.5"],  # 多元化住房保障
    ["guizhou/2.6", "qinghai/3.11", "hunan/2.1.5", "hebei/2.1.6"],  # 社会保障覆盖
    ["qinghai/3.6", "hebei/2.1.1"],                                  # 户籍制度改革
    ["qinghai/3.13", "hebei/2.1.7"],                                 # 进城落户农民权益
    # 潜力地区 / 县城
    ["guizhou/3.1", "qinghai/4.14", "hunan/2.2.6", "hebei/2.2.1"],  # 特色优势产业集群
    ["guizhou/3.2", "qinghai/4.16", "hunan/2.2.7", "hebei/2.2.2"],  # 产业园区提级扩能
    ["guizhou/3.3", "qinghai/4.18", "hunan/2.2.8", "hebei/2.2.3"],  # 产业人才支撑
    ["qinghai/4.15", "hunan/2.2.9", "hebei/2.2.4"],                  # 综合承载能力
    # 都市圈
    ["qinghai/5.26", "hunan/2.3.12"],                                # 市场一体化
    # 城市更新和安全韧性
    ["qinghai/6.28", "hebei/2.4.1"],                                 # 老旧小区改造
    ["qinghai/6.29", "hebei/2.4.2"],                                 # 三大工程
    ["qinghai/6.30", "hunan/2.4.16", "hebei/2.4.3"],                 # 城市洪涝治理
    ["qinghai/6.31", "hunan/2.4.15", "hebei/2.4.4"],                 # 城市生命线安全工程
    ["guizhou/5.3", "qinghai/6.33", "hebei/2.4.6"],                  # 智慧城市
    ["guizhou/5.4", "qinghai/6.34", "hebei/2.4.5"],                  # 绿色低碳城市
]


def gold_pairs() -> set[frozenset]:
    out = set()
    for g in GOLD_GROUPS:
        for i, a in enumerate(g):
            for b in g[i + 1:]:
                out.add(frozenset((a, b)))
    return out


def predicted_pairs(rows) -> set[frozenset]:
    """Every two measures of different plans that share a row (a cell is one
    measure, or a list of them: a task row holds all of a plan's measures
    carrying the task)."""
    out = set()
    for r in rows:
        cells = [(p, c) for p, v in r["cells"].items() for c in (v if isinstance(v, list) else [v])]
        for i, (pa, a) in enumerate(cells):
            for pb, b in cells[i + 1:]:
                if pa != pb:
                    out.add(frozenset((a["id"], b["id"])))
    return out


def precision_recall(rows) -> tuple[float, float, int, int, int]:
    """Precision over predicted pairs among the gold measures; recall over gold pairs."""
    gold = gold_pairs()
    members = {m for p in gold for m in p}
    pred = {p for p in predicted_pairs(rows) if p <= members}
    tp = len(pred & gold)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(gold)
    return precision, recall, tp, len(pred), len(gold)


def main(argv: list[str] | None = None) -> None:
    """Print the alignment's precision and recall on the gold pairs, by text
    similarity alone and task first (the default of `cz compare`):

        python tests/alignment_gold.py [DB]

    DB defaults to the checkout's data/build/chengzhen.db (built if needed)."""
    import sys
    from pathlib import Path

    from chengzhen.query.compare import compare
    from chengzhen.store.connect import connect

    args = sys.argv[1:] if argv is None else argv
    repo = Path(__file__).resolve().parents[1]
    db = Path(args[0]) if args else repo / "data" / "build" / "chengzhen.db"
    conn = connect(root=repo / "data", path=db)
    plans = sorted({m.split("/")[0] for g in GOLD_GROUPS for m in g},
                   key=[r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")].index)
    print(f"gold: {len(gold_pairs())} pairs over {len(GOLD_GROUPS)} tasks; cz compare {' '.join(plans)}")
    for by in ("text", "task"):
        precision, recall, tp, npred, ngold = precision_recall(compare(conn, plans, by=by)["rows"])
        print(f"  --by {by}: precision {precision:.3f} ({tp}/{npred})  recall {recall:.3f} ({tp}/{ngold})")


if __name__ == "__main__":
    main()
