"""Pending drafts: a draft validation would refuse as it stands, kept where
the curator works until it is finished.

`cz ingest` drafts any text, but a plan goes into ``plans/`` only when it
validates (a plan that does not would stop nothing — queries and builds skip
what they cannot load — yet `cz validate` would refuse the data).  A draft
that does not — the text states no period (E111), no place was found for its
region — is not lost: its files are written to ``drafts/`` in the data
directory, which neither the loader nor the build reads:

    drafts/<id>.yaml              the plan file (catalogue entry, then body)
    drafts/<id>.txt               its source
    drafts/<id>.vocabulary.yaml   the vocabulary it proposes, if any

`cz validate` lists each pending draft (E305, coverage) with what blocks it;
`cz review ID` gives its checklist, the blocking items first; the curator
fixes what they name (in ``drafts/<id>.yaml``, or the period with
``--period``) and `cz ingest --finish ID` checks it again and, when nothing
blocks it, moves its files into ``plans/``, ``sources/`` and
``vocabulary/`` in one step (:func:`chengzhen.ingest.draft.commit`: all or
nothing — a failure leaves both places as they were).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from chengzhen.errors import CzError
from chengzhen.ingest import draft as D
from chengzhen.ingest.errors import IngestError
from chengzhen.kb.files import DRAFTS_DIR, PLANS_DIR, SOURCES_DIR, listed
from chengzhen.kb.files import pending_files as places

VOCABULARY_SUFFIX = ".vocabulary.yaml"


def path(data: Path, plan_id: str) -> Path:
    """The pending draft's plan file, absolute."""
    return (data / DRAFTS_DIR / f"{plan_id}.yaml").resolve()


def pending_ids(data: Path) -> list[str]:
    return [n[:-5] for n in listed(data, DRAFTS_DIR, ".yaml") if not n.endswith(VOCABULARY_SUFFIX)]


def exists(data: Path, plan_id: str) -> bool:
    return (data / DRAFTS_DIR / f"{plan_id}.yaml").is_file()


def present(data: Path, plan_id: str) -> list[str]:
    """The pending files of ``plan_id`` there are (relative paths)."""
    return [rel for rel in places(plan_id).values() if (data / rel).is_file()]


# the first line of a pending plan file (taken out when it is finished)
PENDING_NOTE = ("# PENDING: validation refuses this draft as it stands (`cz review {plan}` lists what blocks it, "
                "first); fix that here, then `cz ingest --finish {plan}` moves it into plans/.\n")


def verify(d: D.Draft, data: Path, *, replace: bool = False):
    """:func:`chengzhen.ingest.draft.verify`, and for a draft it refuses,
    everything that blocks it at once (:func:`check`: an empty catalogue
    field hides the rest)."""
    res = D.verify(d, data, replace=replace)
    if d.blocking:
        d.blocking = check(data, d.plan_id, D._stage(d, data)).blocking
    return res


def keep(d: D.Draft, data: Path) -> list[str]:
    """Write a draft that does not validate into ``drafts/`` (all or
    nothing; a pending file of an earlier draft of this id that this one has
    not is removed).  Returns the paths written, absolute."""
    where = places(d.plan_id)
    changes: dict[str, str | None] = {where[rel]: text for rel, text in D._stage(d, data).items()}
    rel = where[f"{PLANS_DIR}/{d.plan_id}.yaml"]
    changes[rel] = PENDING_NOTE.format(plan=d.plan_id) + changes.pop(rel)
    changes.update({rel: None for rel in present(data, d.plan_id) if rel not in changes})
    return D.commit(data, changes)


def files(data: Path, plan_id: str) -> dict[str, str]:
    """The pending draft's files as they will be in the data (relative path → text)."""
    if not exists(data, plan_id):
        raise CzError(f"no pending draft {plan_id!r} in {data / DRAFTS_DIR} (cz validate lists the pending drafts)")
    out = {}
    for rel, wait in places(plan_id).items():
        try:
            out[rel] = (data / wait).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as exc:
            raise CzError(f"{data / wait}: cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
    return out


@dataclass
class Checked:
    """A pending draft checked as `cz validate` checks a plan."""

    plan_id: str
    blocking: list = field(default_factory=list)  # (source line, item, message): what keeps it pending
    flags: int = 0  # its review flags (E304): they do not keep it pending
    audit: object | None = None
    file_lines: list = field(default_factory=list)  # each blocking item's line in the plan file, where it has one


# a catalogue field the draft left empty keeps the plan from loading, and so hides every other problem: it is
# checked a second time with a stand-in on the same line (only in the temporary copy), and what the stand-in
# itself causes is not said
STAND_INS = {"period": ("{start: 1949, end: 2100}", {"E212", "E220", "E221"}),
             "region": ("全国", {"E176", "E177"}),
             "level": ("province", set()),
             "short_name": ("待定", set()),
             "name": ("待定", {"E210"})}


def stand_in(text: str) -> tuple[str, dict[str, str], set[str]]:
    """The plan file with each empty catalogue field of :data:`STAND_INS`
    given its stand-in, on its own line: (text, stand-in line → the line it
    replaced, codes the stand-ins cause)."""
    lines = text.splitlines(True)
    swapped: dict[str, str] = {}
    codes: set[str] = set()
    try:
        top = next(k for k, ln in enumerate(lines) if ln.rstrip() == "plan:")
    except StopIteration:
        return text, swapped, codes
    for k in range(top + 1, len(lines)):
        if lines[k].strip() and not lines[k].startswith(" "):
            break
        m = re.fullmatch(r"  (\w+):\s*(?:null|~)\s*", lines[k].rstrip("\n"))
        if m and m.group(1) in STAND_INS:
            value, causes = STAND_INS[m.group(1)]
            new = f"  {m.group(1)}: {value}\n"
            swapped[new] = lines[k]
            lines[k] = new
            codes |= causes
    return "".join(lines), swapped, codes


def check(data: Path, plan_id: str, texts: dict[str, str] | None = None) -> Checked:
    texts = files(data, plan_id) if texts is None else texts
    rel = f"{PLANS_DIR}/{plan_id}.yaml"
    with D.scratch(data, texts) as root:
        res = D.audit_in(root, plan_id)
    out = Checked(plan_id, D.blocking_items(res, plan_id), sum(p.code == D.REVIEW_FLAG for p in res.problems), res,
                  _file_lines(D.blocking_problems(res), rel))
    stood, swapped, causes = stand_in(texts[rel])
    if swapped:
        with D.scratch(data, {**texts, rel: stood}) as root:
            more = D.audit_in(root, plan_id)
        more.problems = [p for p in more.problems if p.code not in causes]
        have = {str(m) for _l, _i, m in out.blocking}
        for b, k in zip(D.blocking_items(more, plan_id), _file_lines(D.blocking_problems(more), rel)):
            if str(b[2]) not in have:
                out.blocking.append(b)
                out.file_lines.append(k)
        out.flags = sum(p.code == D.REVIEW_FLAG for p in more.problems)
        out.audit = more
    return out


def _file_lines(problems: list, rel: str) -> list:
    return [p.file_line if p.file and Path(p.file).as_posix().endswith(rel) else None for p in problems]


def in_scratch(data: Path, plan_id: str, work) -> object:
    """``work(root)`` on a temporary data directory holding the pending
    draft as a plan (its checklist, accepting its flags; an empty catalogue
    field given its stand-in, so that it loads); what ``work`` changed in the
    draft's files is written back to ``drafts/`` (all or nothing, the
    stand-ins taken out).  Returns what ``work`` returns, its file names
    mapped back to the pending files, and the stand-ins (line → the line it
    replaced)."""
    texts = files(data, plan_id)
    where = places(plan_id)
    rel_plan = f"{PLANS_DIR}/{plan_id}.yaml"
    stood, swapped, _causes = stand_in(texts[rel_plan])
    with D.scratch(data, {**texts, rel_plan: stood}) as root:
        got = work(root)
        changed = {}
        for rel in where:
            p = root / rel
            if p.is_file() and rel in texts:
                text = p.read_text(encoding="utf-8")
                if rel == rel_plan:
                    for new, old in swapped.items():
                        text = text.replace(new, old, 1)
                if texts[rel] != text:
                    changed[where[rel]] = text
        for e in _entries(got):
            if getattr(e, "file", ""):
                e.file = _mapped(root, data, e.file, where)
    if changed:
        D.commit(data, changed)
    return got, swapped


def _entries(got):
    if isinstance(got, (list, tuple)):
        for x in got:
            yield from _entries(x)
    elif got is not None:
        yield got


def _mapped(root: Path, data: Path, file: str, where: dict[str, str]) -> str:
    try:
        rel = Path(file).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file
    return str((data / where[rel]).resolve()) if rel in where else file


def checklist(data: Path, plan_id: str, *, accept: str | None = None, all_numbers: bool = False):
    """`cz review ID` of a pending draft: (accepted, entries) as for a plan
    (ingest/review.py), what keeps it pending first (kind ``blocking``);
    ``accept`` takes flags out of ``drafts/ID.yaml`` as out of a plan file."""
    from chengzhen.ingest import review as RV
    from chengzhen.kb.messages import N_

    checked = check(data, plan_id)
    file = str(path(data, plan_id))
    first = [RV.Entry("blocking", line or None, item, message, file=file if k else "", file_line=k)
             for (line, item, message), k in zip(checked.blocking, checked.file_lines)]

    def work(root):
        accepted = RV.accept(root, plan_id, accept) if accept else None
        return accepted, RV.checklist(root, plan_id, all_numbers=all_numbers)

    try:
        (accepted, entries), swapped = in_scratch(data, plan_id, work)
    except CzError:
        if accept:
            raise
        return None, first  # it does not load even so (broken YAML): what blocks it is all there is to say
    empty = {re.match(r"\s*(\w+):", new).group(1) for new in swapped}
    for e in entries:
        if e.kind == "catalogue" and e.item in empty:
            e.text, e.why, e.line, e.source = "—", N_("empty: keeps the draft pending"), None, ""
    return accepted, first + entries


def problems(data: Path, only: set[str] | None = None) -> list:
    """`cz validate`'s word on the pending drafts (``only``: of these ids):
    one coverage problem each (E305) at its file, what blocks it as its
    detail lines."""
    from chengzhen.kb.messages import N_, Msg
    from chengzhen.kb.problems import Problem

    out = []
    for plan_id in pending_ids(data):
        if only is not None and plan_id not in only:
            continue
        try:
            checked = check(data, plan_id)
            file = f"{DRAFTS_DIR}/{plan_id}.yaml"
            detail = [Msg(N_("{file}:{file_line}: {message}"), file=file, file_line=k, message=m) if k else
                      Msg(N_("source line {line}: {message}"), line=line, message=m) if line else m
                      for (line, _item, m), k in zip(checked.blocking, checked.file_lines)]
        except CzError as exc:
            detail = [exc.message]
        out.append(Problem(plan_id, "E305", plan_id, None,
                           Msg(N_("a pending draft, not in plans/: fix what blocks it, then `cz ingest --finish {plan}` "
                                  "(`cz review {plan}`: its checklist)"), plan=plan_id),
                           "coverage", str(path(data, plan_id)), None, None, detail))
    return out


# --------------------------------------------------------------------------- finishing

def with_period(text: str, start: int, end: int, label: str) -> str:
    """The plan file ``text`` with the period the curator gives: the
    catalogue entry's ``period: null`` set, the reason written in
    ``supplied`` and the flag that asked for it taken out of ``review``.
    Only an empty period is set (one already written is edited by hand)."""
    lines = text.splitlines(True)
    try:
        top = next(k for k, ln in enumerate(lines) if ln.rstrip() == "plan:")
    except StopIteration:
        raise IngestError(f"{label}: no catalogue entry (plan:) found; write the period there by hand") from None
    end_at = next((k for k in range(top + 1, len(lines)) if lines[k].strip() and not lines[k].startswith(" ")),
                  len(lines))
    entry = range(top + 1, end_at)

    def key(name: str) -> int | None:
        return next((k for k in entry if re.match(rf"^  {name}:(?:\s|$)", lines[k])), None)

    at = key("period")
    if at is None or not re.fullmatch(r"  period:\s*(?:null|~)\s*", lines[at].rstrip("\n")):
        got = yaml.safe_load("".join(lines[top:end_at])) or {}
        have = (got.get("plan") or {}).get("period") if isinstance(got, dict) else None
        if isinstance(have, dict) and (have.get("start"), have.get("end")) == (start, end):
            return text
        raise IngestError(f"{label}: the draft's period is written already ({have!r}); "
                          "edit it there instead of giving --period")
    new = {at: f"  period:\n    start: {start}\n    end: {end}\n"}
    reason = "    " + D.dump({"period": D.SUPPLIED_PERIOD.format(start=start, end=end)})
    sup = key("supplied")
    if sup is None:
        new[at] += "  supplied:\n" + reason
    else:
        old = next((k for k in range(sup + 1, end_at) if re.match(r"^    period:", lines[k])), None)
        if old is not None:
            new[old] = reason
        else:
            new[sup] = lines[sup] + reason
    rev = key("review")
    if rev is not None and (rev + 1 >= end_at or not lines[rev + 1].startswith("   ")):
        value = yaml.safe_load(lines[rev].split(":", 1)[1])
        if isinstance(value, str):
            kept = [x for x in value.split("; ") if not x.startswith("period: ")]
            new[rev] = "  " + D.dump({"review": "; ".join(kept)}) if kept else ""
    return "".join(new.get(k, ln) for k, ln in enumerate(lines))


@dataclass
class Finished:
    plan_id: str
    checked: Checked
    written: list[str] = field(default_factory=list)
    replaced: bool = False


def finish(data: Path, plan_id: str, *, period: tuple[int, int] | None = None, force: bool = False,
           dry_run: bool = False) -> Finished:
    """Check pending draft ``plan_id`` again (with ``period`` set, when
    given) and, when nothing blocks it, move its files into the data in one
    step (all or nothing).  When something still blocks it, nothing is
    changed — not even the period: ``blocking`` says what is left."""
    texts = files(data, plan_id)
    rel = f"{PLANS_DIR}/{plan_id}.yaml"
    if period is not None:
        texts[rel] = with_period(texts[rel], period[0], period[1], str(data / places(plan_id)[rel]))
    checked = check(data, plan_id, texts)
    out = Finished(plan_id, checked)
    out.replaced = (data / rel).exists() or (data / SOURCES_DIR / f"{plan_id}.txt").exists()
    if checked.blocking:
        return out
    if out.replaced and not force:
        raise IngestError(f"plan id {plan_id!r} already exists in {data}; replace it with the pending draft with "
                          "--force")
    if dry_run:
        return out
    note = PENDING_NOTE.format(plan=plan_id)
    if texts[rel].startswith(note):
        texts[rel] = texts[rel][len(note):]
    changes: dict[str, str | None] = dict(texts)
    changes.update({wait: None for wait in present(data, plan_id)})
    out.written = D.commit(data, changes)
    return out
