"""`cz ingest`: the draft (yaml with --dry-run, always in json), what was
written, and the review list: what blocks the draft, then every flagged
item with its source line."""

from __future__ import annotations

from chengzhen.answers.answer import Answer
from chengzhen.i18n import N_, _, ngettext

COLUMNS = ["line", "item", "reason"]
COUNT_LABELS = [("sections", N_("sections")), ("restored", N_("restored from the contents")),
                ("measure", N_("measures")), ("paragraph", N_("paragraphs")), ("box", N_("boxes")),
                ("table", N_("tables")), ("annexes", N_("annexes")), ("targets", N_("targets")),
                ("departments", N_("departments")), ("skips", N_("skips")), ("new_departments", N_("new departments")),
                ("new_indicators", N_("new indicators"))]


def answer(d, *, file: str, written: list[str], dry_run: bool, replaced: bool, note: str | None,
           blocked: bool = False, pending: bool = False) -> Answer:
    """``blocked``: validation refuses the draft as it stands; ``pending``:
    so it was written into drafts/, not plans/ (ingest/pending.py)."""
    records = [{"line": line or None, "item": item, "reason": reason}
               for line, item, reason in [*getattr(d, "blocking", []), *d.review]]
    audit = d.audit
    counts = {k: v for k, v in d.counts.items() if v}
    blocks = {
        "plan": d.plan_id, "name": d.entry.get("name"), "written": written, "replaced": replaced, "blocked": blocked,
        "pending": pending,
        "counts": counts, "draft_notes": d.notes,
        "validate": {"verified_pct": round(audit.verified_pct, 1), "coverage_pct": round(audit.coverage_pct, 1),
                     "headings_pct": round(audit.headings_pct, 1)} if audit else None,
        "draft": {"catalogue": d.entry, "plan": d.body, "departments": d.new_departments,
                  "indicators": d.new_indicators},
    }
    return Answer("ingest", records, COLUMNS, query={"file": file, "id": d.plan_id, "dry_run": dry_run},
                  notes=[n for n in (getattr(d, "id_note", None), note) if n], blocks=blocks, id_key=None,
                  data={"draft": d, "file": file, "dry_run": dry_run, "replaced": replaced, "written": written,
                        "blocked": blocked, "pending": pending})


def summary(ans, stream) -> None:
    """What was drafted and verified, and the review list, in the reader's language."""
    from chengzhen.cli.views.review import said

    x = ans.data
    d, counts, audit = x["draft"], ans.blocks["counts"], x["draft"].audit
    w = stream.write
    what = _("dry run: nothing written") if x["dry_run"] else \
        _("pending: the draft does not validate yet") if x["pending"] else \
        (_("replaced") if x["replaced"] else _("written"))
    w(_("cz ingest: {name} → {plan} ({what})").format(name=d.entry.get("name") or "—", plan=d.plan_id, what=what) + "\n")
    parts = [f"{counts[k]} {_(label)}" for k, label in COUNT_LABELS if counts.get(k)]
    w("  " + _("draft: {counts}").format(counts=_(", ").join(parts)) + "\n")
    reps = {k[len("repairs_"):]: v for k, v in counts.items() if k.startswith("repairs_")}
    if reps:
        w("  " + _("repairs: {repairs} (script: {script})").format(
            repairs=_(", ").join(f"{v} {k}" for k, v in sorted(reps.items())), script=d.entry.get("script")) + "\n")
    if audit:
        w("  " + _("validated: {verified}% verified, {covered}% covered, {headings}% headings").format(
            verified=f"{audit.verified_pct:.1f}", covered=f"{audit.coverage_pct:.1f}",
            headings=f"{audit.headings_pct:.1f}") + "\n")
    for path in x["written"]:
        w("  " + _("written: {path}").format(path=path) + "\n")
    for n in ans.notes:
        w("  " + _("note: {note}").format(note=said(n)) + "\n")
    w("  " + ngettext("{n} to review:", "{n} to review:", len(ans.records)).format(n=len(ans.records)) + "\n")
    for r in ans.records:
        where = _("line {line}").format(line=r["line"]) if r["line"] else _("catalogue")
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


def finished(done, *, dry_run: bool, note: str | None, data) -> Answer:
    """`cz ingest --finish ID`: moved into plans/, or what still blocks it
    (records: line, item, reason)."""
    from chengzhen.ingest import pending as PD

    records = [{"line": line or None, "item": item, "reason": reason} for line, item, reason in done.checked.blocking]
    blocks = {"plan": done.plan_id, "written": done.written, "replaced": done.replaced and bool(done.written),
              "pending": not done.written and not dry_run, "blocked": bool(done.checked.blocking),
              "draft_file": str(PD.path(data, done.plan_id)), "flags": done.checked.flags}
    return Answer("ingest", records, COLUMNS, query={"finish": done.plan_id, "dry_run": dry_run},
                  notes=[note] if note else [], blocks=blocks, id_key=None,
                  data={"done": done, "dry_run": dry_run, "draft_file": blocks["draft_file"]})


def finished_view(ans, env) -> None:
    from chengzhen.cli.views.review import said

    x = ans.data
    done = x["done"]
    w = env.stdout.write
    if done.written:
        w(_("cz ingest --finish {plan}: moved into plans/ ({what})").format(
            plan=done.plan_id, what=_("replaced") if done.replaced else _("written")) + "\n")
        for path in done.written:
            w("  " + _("written: {path}").format(path=path) + "\n")
    elif done.checked.blocking:
        w(_("cz ingest --finish {plan}: still pending — nothing changed; fix what blocks it in {file}").format(
            plan=done.plan_id, file=x["draft_file"]) + "\n")
    else:
        w(_("cz ingest --finish {plan}: nothing blocks it (dry run: nothing moved)").format(plan=done.plan_id) + "\n")
    for n in ans.notes:
        w("  " + _("note: {note}").format(note=said(n)) + "\n")
    if ans.records:
        w("  " + ngettext("{n} blocking:", "{n} blocking:", len(ans.records)).format(n=len(ans.records)) + "\n")
    for r in ans.records:
        where = _("line {line}").format(line=r["line"]) if r["line"] else _("catalogue")
        w(f"    {where:>10}  {r['item']}: {said(r['reason'])}\n")
    if done.checked.flags:
        w("  " + ngettext("{n} review flag left: cz review {plan}", "{n} review flags left: cz review {plan}",
                          done.checked.flags).format(n=done.checked.flags, plan=done.plan_id) + "\n")
