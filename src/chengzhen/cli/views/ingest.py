"""`cz ingest`: the draft (yaml with --dry-run, always in json), what was
written, and the review list: what blocks the draft, then every flagged
item with its source line."""

from __future__ import annotations

from chengzhen.answers.answer import Answer

COLUMNS = ["line", "item", "reason"]
COUNT_LABELS = [("sections", "章节"), ("restored", "据目录补"), ("measure", "条目"), ("paragraph", "段落"),
                ("box", "专栏"), ("table", "表格"), ("annexes", "附件"), ("targets", "目标"),
                ("departments", "责任单位"), ("skips", "跳过"), ("new_departments", "新部门"),
                ("new_indicators", "新指标")]


def answer(d, *, file: str, written: list[str], dry_run: bool, replaced: bool, note: str | None,
           blocked: bool = False) -> Answer:
    records = [{"line": line or None, "item": item, "reason": reason}
               for line, item, reason in [*getattr(d, "blocking", []), *d.review]]
    audit = d.audit
    counts = {k: v for k, v in d.counts.items() if v}
    blocks = {
        "plan": d.plan_id, "name": d.entry.get("name"), "written": written, "replaced": replaced, "blocked": blocked,
        "counts": counts, "draft_notes": d.notes,
        "validate": {"verified_pct": round(audit.verified_pct, 1), "coverage_pct": round(audit.coverage_pct, 1),
                     "headings_pct": round(audit.headings_pct, 1)} if audit else None,
        "draft": {"catalogue": d.entry, "plan": d.body, "departments": d.new_departments,
                  "indicators": d.new_indicators},
    }
    return Answer("ingest", records, COLUMNS, query={"file": file, "id": d.plan_id, "dry_run": dry_run},
                  notes=[note] if note else [], blocks=blocks, id_key=None,
                  data={"draft": d, "file": file, "dry_run": dry_run, "replaced": replaced, "written": written,
                        "blocked": blocked})


def summary(ans, stream) -> None:
    x = ans.data
    d, counts, audit = x["draft"], ans.blocks["counts"], x["draft"].audit
    w = stream.write
    what = "未写入: 草稿未通过校验 (not written)" if x["blocked"] else \
        "试运行, 未写入 (dry run: nothing written)" if x["dry_run"] else ("已替换" if x["replaced"] else "已写入")
    w(f"cz ingest: {d.entry.get('name')} → {d.plan_id} ({what})\n")
    parts = [f"{counts[k]} {label}" for k, label in COUNT_LABELS if counts.get(k)]
    w("  草稿: " + ", ".join(parts) + "\n")
    reps = {k[len("repairs_"):]: v for k, v in counts.items() if k.startswith("repairs_")}
    if reps:
        w("  修复: " + ", ".join(f"{v} {k}" for k, v in sorted(reps.items())) + f" (脚本: {d.entry.get('script')})\n")
    if audit:
        w(f"  校验: {audit.verified_pct:.1f}% 核实, {audit.coverage_pct:.1f}% 覆盖, {audit.headings_pct:.1f}% 标题\n")
    for path in x["written"]:
        w(f"  写入: {path}\n")
    for n in ans.notes:
        w(f"  注意: {n}\n")
    w(f"  待审 {len(ans.records)} 项 (review):\n")
    from chengzhen.cli.views.review import said

    for r in ans.records:
        where = f"line {r['line']}" if r["line"] else "catalogue"
        w(f"    {where:>10}  {r['item']}: {said(r['reason'])}\n")


def as_yaml(ans, env) -> None:
    from chengzhen.ingest.draft import plan_yaml, vocabulary_yaml

    x = ans.data
    d = x["draft"]
    if x["dry_run"]:
        env.write(f"# ---- data/plans/{d.plan_id}.yaml: the catalogue entry (plan:) and the body\n"
                  + plan_yaml(d, x["file"]))
        vocab = vocabulary_yaml(d)
        if vocab:
            env.write(f"---\n# ---- data/vocabulary/{d.plan_id}.yaml: the vocabulary it proposes\n" + vocab)
        summary(ans, env.stderr)
    else:
        summary(ans, env.stdout)
