"""Views of the curator's commands: `cz review ID` (the checklist) and
`cz ingest DIR` (one summary table for a batch of drafts).

Each is an :class:`Answer` with its terminal view (a rich view on a
terminal, one record per line when piped, the JSON envelope with ``-f json``).
"""

from __future__ import annotations

from chengzhen.answers.answer import Answer
from chengzhen.cli import render as R
from chengzhen.i18n import N_, _, ngettext

REVIEW_COLUMNS = ["kind", "n", "line", "item", "text", "why", "source"]
KIND_TITLES = {
    "blocking": N_("what keeps the draft pending — fix it in {file}, then `cz ingest --finish {plan}`"),
    "flag": N_("flags (accept with `cz review {plan} --accept N|all`)"),
    "number": N_("numbers in the source that are not targets, and why"),
    "skip": N_("skipped lines"),
    "catalogue": N_("catalogue fields and the line each was read from"),
    "vocabulary": N_("proposed vocabulary (accept with --accept vocabulary)"),
}


def said(text: str) -> str:
    """A review flag in the reader's language (:func:`chengzhen.i18n.say_flag`);
    a kb message (a draft's blocking problem) by its template."""
    from chengzhen.i18n import say, say_flag

    if hasattr(text, "template"):
        return say(text)
    return say_flag(text)


def checklist(entries: list, plan: str, accepted: list | None = None, pending: str | None = None) -> Answer:
    """The checklist's answer; found (exit 0) means nothing is left to check.
    ``pending``: the pending draft's file (ingest/pending.py)."""
    records = [e.as_dict() for e in entries]
    counts = {k: sum(1 for e in entries if e.kind == k) for k in KIND_TITLES if k != "blocking" or pending}
    blocks = {"plan": plan, "pending": pending, "counts": counts}
    if accepted is not None:
        blocks["accepted"] = [e.as_dict() for e in accepted]
    return Answer("review", records, REVIEW_COLUMNS, query={"plan": plan}, blocks=blocks, id_key=None,
                  data=(entries, plan, accepted, pending))


def checklist_view(ans: Answer, env) -> None:
    entries, plan, accepted, pending = ans.data
    write = env.stdout.write
    if pending:
        write(_("{plan}: a pending draft ({file}): not in plans/ until nothing blocks it").format(
            plan=plan, file=pending) + "\n\n")
    if accepted is not None:
        write(_("cz review {plan}: {n} accepted").format(plan=plan, n=len(accepted)) + "\n")
        for e in accepted:
            write(f"  ✓ {('#' + str(e.n)) if e.n else e.item}  {said(e.text)[:120]}\n")
        write("\n")
    for kind, title in KIND_TITLES.items():
        if kind == "blocking" and not pending:
            continue
        rows = [e for e in entries if e.kind == kind]
        write(f"{_(title).format(plan=plan, file=pending)} — {len(rows)}\n")
        if not rows:
            write("  " + _("(none)") + "\n\n")
            continue
        if kind == "blocking":
            cols = [(_("line"), {"justify": "right"}), (_("where"), {}), (_("item"), {}), (_("what blocks it"), {})]
            body = ([str(e.line or "—"), f"{e.file.rsplit('/', 1)[-1]}:{e.file_line}" if e.file_line else "",
                     e.item, said(e.text)] for e in rows)
        elif kind == "flag":
            cols = [("#", {"justify": "right"}), (_("line"), {"justify": "right"}), (_("item"), {}), (_("flag"), {}),
                    (_("source text"), {})]
            body = ([str(e.n), str(e.line or "—"), e.item, said(e.text), e.source[:80]] for e in rows)
        elif kind == "number":
            cols = [(_("line"), {"justify": "right"}), (_("figure"), {}), (_("why"), {}), (_("source text"), {})]
            body = ([str(e.line), e.text, said(e.why), e.source[:80]] for e in rows)
        elif kind == "skip":
            cols = [(_("lines"), {}), (_("kind and reason"), {}), (_("source text"), {})]
            body = ([said(e.item), said(e.text), e.source[:120]] for e in rows)
        elif kind == "catalogue":
            cols = [(_("field"), {}), (_("value"), {}), (_("where from"), {}), (_("source text"), {})]
            body = ([e.item, e.text, said(e.why), e.source[:80]] for e in rows)
        else:
            cols = [(_("name"), {}), ("", {}), (_("suggestion"), {})]
            body = ([e.item, said(e.text), said(e.why)] for e in rows)
        R.console(env).print(R.table(env, cols, body))
        write("\n")


BATCH_COLUMNS = ["file", "plan", "name", "status", "sections", "measures", "targets", "departments", "flags",
                 "blocking", "written", "path", "message", "seconds"]


def batch(rows: list[dict], *, directory: str, dry_run: bool) -> Answer:
    return Answer("ingest", rows, BATCH_COLUMNS, query={"directory": directory, "dry_run": dry_run}, id_key="plan",
                  data=(rows, directory, dry_run))


# a draft's status in a batch (ingest/batch.py), said in the reader's language
STATUS = {"error": N_("error"), "drafted": N_("drafted"), "written": N_("written"), "pending": N_("pending"),
          "blocked": N_("would be pending")}


def batch_view(ans: Answer, env) -> None:
    rows, directory, dry_run = ans.data
    right = {"justify": "right"}
    t = R.table(
        env, [(_("file"), {}), (_("plan"), {}), (_("status"), {}), (_("# sections"), right), (_("# measures"), right),
              (_("# targets"), right), (_("# departments"), right), (_("flags"), right), (_("blocking"), right),
              (_("seconds"), right), (_("message"), {})],
        ([r["file"], r["plan"] or "—", _(STATUS.get(r["status"], r["status"])), str(r["sections"]), str(r["measures"]), str(r["targets"]),
          str(r["departments"]), str(r["flags"]), str(r["blocking"]), f"{r['seconds']:.2f}",
          said(r["message"] or "")[:90]] for r in rows),
        title=ngettext("cz ingest {directory} — {n} file", "cz ingest {directory} — {n} files", len(rows)).format(
            directory=directory, n=len(rows)) + (_(" (dry run, nothing written)") if dry_run else ""),
        caption=_("each draft's checklist: cz review ID; a pending draft (drafts/ID.yaml), once fixed: "
                  "cz ingest --finish ID"),
    )
    R.console(env).print(t)
