"""Views of the curator's commands: `cz review ID` (the checklist) and
`cz ingest DIR` (one summary table for a batch of drafts).

Each is an :class:`Answer` with its terminal view (a rich view on a
terminal, one record per line when piped, the JSON envelope with ``-f json``).
"""

from __future__ import annotations

from chengzhen.answers.answer import Answer
from chengzhen.cli import render as R

REVIEW_COLUMNS = ["kind", "n", "line", "item", "text", "why", "source"]
KIND_TITLES = {
    "flag": "待审标记 (flags: accept with `cz review {plan} --accept N|all`)",
    "number": "未作为目标的数字 (numbers in the source that are not targets, and why)",
    "skip": "跳过的行 (skipped lines)",
    "catalogue": "目录字段及出处 (catalogue fields and the line each was read from)",
    "vocabulary": "拟新增词表项 (proposed vocabulary; accept with --accept vocabulary)",
}


def said(text: str) -> str:
    """A review flag in the reader's language: each of its parts (``; ``)
    by the catalogue template it fills, the field's name before it
    (``issuer: …``) kept as written (a stable key)."""
    from chengzhen.i18n import say, translate

    if hasattr(text, "template"):  # a kb message (a draft's blocking problem): its template, said
        return say(text)
    out = []
    for part in (text or "").split("; "):
        got = translate(part)
        if got == part and ": " in part:
            key, rest = part.split(": ", 1)
            got = f"{key}: {t}" if (t := translate(rest)) != rest else part
        out.append(got)
    return "; ".join(out)


def checklist(entries: list, plan: str, accepted: list | None = None) -> Answer:
    """The checklist's answer; found (exit 0) means nothing is left to check."""
    records = [e.as_dict() for e in entries]
    counts = {k: sum(1 for e in entries if e.kind == k) for k in KIND_TITLES}
    blocks = {"plan": plan, "counts": counts}
    if accepted is not None:
        blocks["accepted"] = [e.as_dict() for e in accepted]
    return Answer("review", records, REVIEW_COLUMNS, query={"plan": plan}, blocks=blocks, id_key=None,
                  data=(entries, plan, accepted))


def checklist_view(ans: Answer, env) -> None:
    entries, plan, accepted = ans.data
    write = env.stdout.write
    if accepted is not None:
        write(f"cz review {plan}: {len(accepted)} accepted\n")
        for e in accepted:
            write(f"  ✓ {('#' + str(e.n)) if e.n else e.item}  {e.text[:120]}\n")
        write("\n")
    for kind, title in KIND_TITLES.items():
        rows = [e for e in entries if e.kind == kind]
        write(f"{title.format(plan=plan)} — {len(rows)}\n")
        if not rows:
            write("  (none)\n\n")
            continue
        if kind == "flag":
            cols = [("#", {"justify": "right"}), ("行", {"justify": "right"}), ("条目", {}), ("标记", {}),
                    ("原文", {})]
            body = ([str(e.n), str(e.line or "—"), e.item, said(e.text), e.source[:80]] for e in rows)
        elif kind == "number":
            cols = [("行", {"justify": "right"}), ("数字", {}), ("原因", {}), ("原文", {})]
            body = ([str(e.line), e.text, e.why, e.source[:80]] for e in rows)
        elif kind == "skip":
            cols = [("行", {}), ("类别与原因", {}), ("原文", {})]
            body = ([e.item, e.text, e.source[:120]] for e in rows)
        elif kind == "catalogue":
            cols = [("字段", {}), ("值", {}), ("出处", {}), ("原文", {})]
            body = ([e.item, e.text, e.why, e.source[:80]] for e in rows)
        else:
            cols = [("名称", {}), ("", {}), ("建议", {})]
            body = ([e.item, e.text, e.why] for e in rows)
        R.console(env).print(R.table(env, cols, body))
        write("\n")


BATCH_COLUMNS = ["file", "plan", "name", "status", "sections", "measures", "targets", "departments", "flags",
                 "blocking", "written", "message", "seconds"]


def batch(rows: list[dict], *, directory: str, dry_run: bool) -> Answer:
    return Answer("ingest", rows, BATCH_COLUMNS, query={"directory": directory, "dry_run": dry_run}, id_key="plan",
                  data=(rows, directory, dry_run))


def batch_view(ans: Answer, env) -> None:
    rows, directory, dry_run = ans.data
    t = R.table(
        env, [("文件", {}), ("方案", {}), ("状态", {}), ("章节", {"justify": "right"}), ("条目", {"justify": "right"}),
         ("目标", {"justify": "right"}), ("责任单位", {"justify": "right"}), ("待审", {"justify": "right"}),
         ("阻碍", {"justify": "right"}), ("秒", {"justify": "right"}), ("说明", {})],
        ([r["file"], r["plan"] or "—", r["status"], str(r["sections"]), str(r["measures"]), str(r["targets"]),
          str(r["departments"]), str(r["flags"]), str(r["blocking"]), f"{r['seconds']:.2f}",
          said(r["message"] or "")[:90]] for r in rows),
        title=f"cz ingest {directory} — {len(rows)} 个文件" + (" (试运行, 未写入)" if dry_run else ""),
        caption="每份草稿的待审项: cz review ID (written plans); a blocked draft: cz ingest FILE --dry-run",
    )
    R.console(env).print(t)
