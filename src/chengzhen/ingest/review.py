"""`cz review ID`: the curator's checklist of a drafted plan, and accepting its flags.

What a curator checks before a draft is verified, each item with the source
line it is about:

* **flags** — every ``review:`` the draft carries (validation's E304), with
  what it says and its source line; a flag is *accepted* with
  ``cz review ID --accept N`` (or ``all``): its ``review:`` field is taken out
  of the file that holds it — no hand-editing of YAML;
* **numbers** — every quantity of the source (a figure with a unit or a
  qualifier; ``--all-numbers``: every number) that is not a drafted target,
  with why (a skipped line and its kind, a section that reviews the past, a
  year, an ordinal, no goal word governs it …);
* **skips** — every skipped range with its kind, reason and text;
* **catalogue** — each catalogue field with the line it was read from, or the
  reason it was supplied;
* **vocabulary** — each proposed indicator or department with the closest
  names the vocabularies already have (did you mean …?).

Nothing here prints: :func:`checklist` returns :class:`Entry` records, the
CLI renders them (``cli/views/review.py``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from chengzhen.errors import CzError, UnknownName
from chengzhen.ingest import targets as T
from chengzhen.kb import loader as L
from chengzhen.kb.files import VOCABULARY_DIR
from chengzhen.kb.messages import N_, Msg
from chengzhen.kb.problems import Sink, did_you_mean
from chengzhen.text import gongwen as G
from chengzhen.text.normalize import squash
from chengzhen.text.targets import written_years

KINDS = ("blocking", "flag", "number", "skip", "catalogue", "vocabulary")  # blocking: a pending draft's (ingest/pending.py)
QUANTITY = re.compile(T.NUM + r"(?:\s*[—–\-~～至到]\s*" + T.NUM + r")?\s*" + T.UNIT + r"|" + T.NUM + r"\s*(?:左右|以上|以内|以下|多)")
ANY_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class Entry:
    kind: str  # blocking | flag | number | skip | catalogue | vocabulary
    line: int | None  # the source line it is about
    item: str  # a record id, a catalogue field, a vocabulary name
    text: str  # what to check: the flag's words, the figure, the value
    why: str = ""  # why it is not a target, where a field was read, did-you-mean …
    source: str = ""  # the source line's text
    n: int | None = None  # a flag's number, for --accept
    file: str = ""  # where a flag is written (for --accept)
    file_line: int | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "n": self.n, "line": self.line, "item": self.item, "text": self.text,
                "why": self.why, "source": self.source}


def _load(root: Path, plan_id: str):
    sink = Sink()
    kb = L.load_kb(root, sink)
    plan = next((p for p in kb.plans if p.id == plan_id), None)
    own = f"{plan_id}.yaml"
    if plan is None and not any(Path(p.file or "").name == own for p in sink.problems if p.severity == "error"):
        raise UnknownName("plan", plan_id, did_you_mean(plan_id, [p.id for p in kb.plans]))
    bundle = L.load_plan(root, plan, kb.vocab, sink) if plan is not None else None
    if bundle is None:  # its file does not load (a syntax error: the catalogue could not read it either)
        first = next((p for p in sink.problems if p.severity == "error" and Path(p.file or "").name == own),
                     next((p for p in sink.problems if p.severity == "error"), None))
        if first is None:
            raise CzError(Msg(N_("{plan}: the plan does not load; `cz validate --plan {plan}` says why"), plan=plan_id))
        raise CzError(Msg(N_("{plan}: the plan does not load ({problem}); `cz validate --plan {plan}` says why"),
                          plan=plan_id, problem=first.line_msg()))
    return kb, plan, bundle


def checklist(root: Path, plan_id: str, *, all_numbers: bool = False) -> list[Entry]:
    """Everything a curator checks in plan ``plan_id`` of data directory ``root``."""
    from chengzhen.kb.audit import audit_plan

    kb, plan, bundle = _load(root, plan_id)
    lines = bundle.lines
    res = audit_plan(bundle, vocab=kb.vocab)
    out: list[Entry] = []
    for k, p in enumerate(sorted((p for p in res.problems if p.code == "E304"),
                                 key=lambda p: (p.line or 0, p.file_line or 0)), start=1):
        text = _review_text(p.file, p.file_line) or p.message
        out.append(Entry("flag", p.line or None, p.item, text, "", _line(lines, p.line), k, p.file, p.file_line))
    out += _numbers(kb, plan, bundle, all_numbers)
    for s in plan.skip:
        body = " / ".join(lines[n - 1].strip() for n in range(s.first, min(s.last, len(lines)) + 1) if lines[n - 1].strip())
        out.append(Entry("skip", s.first, N_("lines {0}-{1}").format(s.first, s.last) if s.last != s.first
                         else N_("line {0}").format(s.first),
                         f"{s.kind}: {s.reason}", "", body[:300]))
    out += _catalogue(plan, lines)
    out += _vocabulary(root, kb, plan_id)
    return out


def _line(lines: list[str], n: int | None) -> str:
    return lines[n - 1].strip() if n and 1 <= n <= len(lines) else ""


def _review_text(file: str, file_line: int | None) -> str | None:
    """The words of the ``review:`` field written on ``file_line`` of ``file``."""
    if not file or not file_line:
        return None
    try:
        with open(file, encoding="utf-8") as f:
            for k, ln in enumerate(f, start=1):
                if k == file_line:
                    m = re.match(r"^\s*(?:-\s+)?review:\s*(.*)$", ln.rstrip("\n"))
                    if not m:
                        return None
                    import yaml

                    try:
                        value = yaml.safe_load(m.group(1))
                    except yaml.YAMLError:
                        value = m.group(1)
                    return str(value)
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------- numbers that are not targets

def _numbers(kb, plan, bundle, all_numbers: bool) -> list[Entry]:
    lines = bundle.lines
    body = bundle.body
    skipped = {n: s for s in plan.skip for n in range(s.first, s.last + 1)}
    retro = {s.id for s in body.sections if s.retrospective}
    # a section's retrospective flag covers its sub-sections
    for s in body.sections:
        if s.parent in retro:
            retro.add(s.id)
    owner = {}
    for meas in body.measures:
        for n in range(meas.line, meas.line_end + 1):
            owner.setdefault(n, meas)
    targets_on: dict[int, list] = {}
    for meas in body.measures:
        for t in meas.targets:
            targets_on.setdefault(t.line, []).append(t)
    # why ingest's reading of each record left a figure out
    names = dict(kb.vocab.indicator_by_name)
    pairs = sorted(((a, c) for a, c in names.items() if len(a) >= 2), key=lambda p: (-len(p[0]), p[0]))
    ctx = T.Ctx((plan.period_start, plan.period_end), pairs, {i.name: i.unit for i in kb.vocab.indicators})
    reasons: dict[tuple[int, str], str] = {}
    for meas in body.measures:
        if meas.kind == "table":
            continue
        ctx.skipped = []
        ctx.year = None
        T.extract(meas.text, ctx, meas.line)
        for line, fig, why, doubtful, _near in ctx.skipped:
            reasons.setdefault((line, squash(fig)), N_("{0} — check it").format(why) if doubtful else why)
    out: list[Entry] = []
    pattern = ANY_NUMBER if all_numbers else QUANTITY
    for n, raw in enumerate(lines, start=1):
        for m in pattern.finditer(raw):
            fig = m.group(0).strip()
            if not all_numbers and re.fullmatch(r"(?:19|20)\d{2}(?:\s*[—–―\-~～至到]\s*(?:19|20)\d{2})?\s*年", fig):
                continue  # a year (--all-numbers lists them)
            taken = [t for t in targets_on.get(n, []) if _in_target(fig, t)]
            if taken:
                continue
            out.append(Entry("number", n, (owner[n].id if n in owner else plan.id), fig,
                             _why(n, fig, raw, m, skipped, owner, retro, targets_on, reasons, plan), raw.strip()[:200]))
    return out


def _in_target(fig: str, t) -> bool:
    f = squash(fig)
    return f in squash(t.as_written) or (t.baseline_as_written is not None and f in squash(str(t.baseline_as_written)))


def _why(n, fig, raw, m, skipped, owner, retro, targets_on, reasons, plan) -> str:
    if n in skipped:
        s = skipped[n]
        return N_("on a skipped line ({0}: {1})").format(s.kind, s.reason)
    if n in plan.title_lines:
        return N_("in the title")
    if re.fullmatch(r"(?:19|20)\d{2}", fig) and raw[m.end():m.end() + 1] in ("年", "—", "-", "–"):
        return N_("a year")
    if re.search(r"[〔\[［【(（]\s*$", raw[:m.start()]) or re.match(r"\s*号", raw[m.end():]):
        return N_("part of a 文号 or a number (N号)")
    meas = owner.get(n)
    if meas is None:
        return N_("in no record (a heading or the outline)")
    if meas.section in retro:
        return N_("in a section that reviews the past: not a target")
    got = reasons.get((n, squash(fig))) or next((w for (ln, f), w in reasons.items() if ln == n and squash(fig) in f), None)
    if got:
        return got
    for t in targets_on.get(n, []):
        if squash(fig) in squash(t.quote):
            return N_("in the sentence of target {0} ({1}), not its figure").format(t.indicator, t.as_written)
    return N_("not drafted as a target (no rule took it): add it by hand if it is one")


# --------------------------------------------------------------------------- catalogue fields

def _catalogue(plan, lines: list[str]) -> list[Entry]:
    out = []
    supplied = dict(plan.supplied)
    values = {"name": plan.name, "issuer": plan.issuer, "doc_number": plan.doc_number, "issue_date": plan.issue_date,
              "period": f"{plan.period_start}—{plan.period_end}", "parent": plan.parent, "region": plan.region,
              "level": plan.level, "completeness": plan.completeness}
    for key, value in values.items():
        if key in supplied:
            out.append(Entry("catalogue", None, key, str(value), N_("supplied: {0}").format(supplied[key])))
            continue
        if value in (None, ""):
            said = _flagged_line(plan.review or "", key, len(lines))
            if said:  # a flag names the line that writes it: the review says that line, not "not stated"
                out.append(Entry("catalogue", said, key, "—", N_("not drafted, but line {0} writes it (see the flag)")
                                 .format(said), _line(lines, said)))
            else:
                out.append(Entry("catalogue", None, key, "—", N_("the source does not state it")))
            continue
        line = _where(key, plan, value, lines)
        out.append(Entry("catalogue", line, key, str(value),
                         N_("written on line {0}").format(line) if line else N_("read by rule (not written as such)"),
                         _line(lines, line)))
    return out


def _flagged_line(review: str, key: str, count: int) -> int | None:
    """The source line a plan's flag on ``key`` names (``issuer: none drafted, but line 12 names …``), if any."""
    for m in re.finditer(rf"(?:^|; ){re.escape(key)}: (.*?)(?=; [a-z_]+: |$)", review):
        n = re.search(r"\bline (\d+)", m.group(1))
        if n and 1 <= int(n.group(1)) <= count:
            return int(n.group(1))
    return None


def _where(key: str, plan, value, lines: list[str]) -> int | None:
    if key == "name":
        return plan.title_lines[0] if plan.title_lines else None
    if key == "period":
        for n in plan.title_lines:
            if {plan.period_start, plan.period_end} <= set(written_years(lines[n - 1])) or \
                    G.PERIOD_IN_TITLE.search(lines[n - 1]):
                return n
        return plan.title_lines[0] if plan.title_lines else None
    if key == "issue_date":
        y, mo, d = (int(x) for x in str(value).split("-"))
        for n, ln in enumerate(lines, start=1):
            if (y, mo, d) in G.dates(squash(ln)):
                return n
        return None
    want = squash(str(value))
    for n, ln in enumerate(lines, start=1):
        if want and want in squash(ln):
            return n
    return None


# --------------------------------------------------------------------------- proposed vocabulary

def proposals(root: Path, plan_id: str, vocab=None) -> list[tuple[str, str, str, int]]:
    """(kind, name, file, file line) of each vocabulary entry proposed with
    ``plan_id`` and not yet accepted: an entry of the plan's own vocabulary
    file (``vocabulary/<id>.yaml``) that still carries its ``review:``."""
    if vocab is None:
        vocab = L.load_vocabularies(root, Sink())
    own = (root / VOCABULARY_DIR / f"{plan_id}.yaml").resolve()
    return [(p.kind, p.name, p.file, p.file_line) for p in vocab.proposals if Path(p.file).resolve() == own]


def _vocabulary(root: Path, kb, plan_id: str) -> list[Entry]:
    out = []
    proposed = proposals(root, plan_id, kb.vocab)
    new = {name for _kind, name, _f, _k in proposed}
    for kind, name, file, _k in proposed:
        if kind == "indicator":
            known = {a: c for a, c in kb.vocab.indicator_by_name.items() if c not in new}
        elif kind == "department":
            known = {a: c for a, c in kb.vocab.dept_by_name.items() if c not in new}
        else:  # a place, zone, group or class (ingest/places.py): its review says what to check
            known = {}
        near = did_you_mean(_stem(name), list(known), 3)
        canon = list(dict.fromkeys(known[x] for x in near))
        text = (N_("proposed indicator ({0})") if kind == "indicator" else N_("proposed department ({0})")).format(
            f"{VOCABULARY_DIR}/{plan_id}.yaml")
        out.append(Entry("vocabulary", None, name, text,
                         N_("did you mean {0}?").format(" / ".join(canon)) if canon
                         else N_("no close name in the vocabulary"), file=file))
    return out


def _stem(name: str) -> str:
    """A proposed indicator without the verb a sentence glued to it (城乡居民收入比缩小到 → 城乡居民收入比)."""
    return re.sub(r"(?:缩小到|缩小至|提高到|提高至|提升至|提升到|达到|降至|降到|控制在|保持在)$", "", name) or name


# --------------------------------------------------------------------------- accepting flags

def accept(root: Path, plan_id: str, which: str) -> list[Entry]:
    """Accept flags: ``which`` is ``all`` or numbers (``3``, ``1,4``) of the
    checklist's flags.  Each accepted flag's ``review:`` field is removed from
    the file that holds it (each file rewritten beside itself and renamed
    over it); accepting a proposed vocabulary entry (``vocabulary``) keeps it
    and drops the ``review:`` from its note.  Returns what was accepted."""
    entries = [e for e in checklist(root, plan_id) if e.kind == "flag"]
    if which.strip() == "vocabulary":
        chosen: list[Entry] = []
    elif which.strip() == "all":
        chosen = entries
    else:
        try:
            numbers = {int(x) for x in re.split(r"[,\s]+", which.strip()) if x}
        except ValueError:
            raise CzError(f"--accept {which!r}: give flag numbers (1,3), all, or vocabulary") from None
        unknown = sorted(numbers - {e.n for e in entries})
        if unknown:
            raise CzError(f"{plan_id} has no flag {', '.join(map(str, unknown))} (it has {len(entries)}): "
                          f"`cz review {plan_id}` lists them")
        chosen = [e for e in entries if e.n in numbers]
    by_file: dict[str, set[int]] = {}
    for e in chosen:
        if not e.file or not e.file_line:
            raise CzError(f"flag {e.n} of {plan_id} names no file line; edit it by hand")
        by_file.setdefault(e.file, set()).add(e.file_line)
    for file, file_lines in by_file.items():
        _drop_lines(Path(file), file_lines)
    if which.strip() in ("all", "vocabulary"):
        # an accepted proposal stays in the plan's vocabulary file, without its review: (loading merges
        # every plan's file with the shared vocabularies, so two curators' additions merge in git)
        by_vocab: dict[str, list[tuple[str, str, int]]] = {}
        for kind, name, file, k in proposals(root, plan_id):
            by_vocab.setdefault(file, []).append((kind, name, k))
        for file, entries in by_vocab.items():
            _drop_fields(Path(file), {k for _kind, _name, k in entries})
            chosen += [Entry("vocabulary", None, name,
                             (N_("accepted indicator ({0})") if kind == "indicator" else
                              N_("accepted department ({0})")).format(f"{VOCABULARY_DIR}/{plan_id}.yaml"))
                       for kind, name, _k in entries]
    return chosen


# a skip whose reason opens with review: (the flag is the reason's prefix)
_SKIP_REVIEW = re.compile(r"""(reason:\s*['"]?)review:\s*""")


def _drop_lines(path: Path, file_lines: set[int]) -> None:
    """Remove the ``review:`` fields that start on ``file_lines`` (a value
    continued on more-indented lines goes with them); a skip flagged by the
    ``review:`` opening its reason (the flag names the skip's first line)
    keeps its reason without it."""
    lines = path.read_text(encoding="utf-8").splitlines(True)
    for k in sorted(file_lines):
        if 1 <= k <= len(lines) and not re.match(r"^\s*(?:-\s+)?review:", lines[k - 1]):
            indent = len(lines[k - 1]) - len(lines[k - 1].lstrip(" -"))
            j = k
            while j <= len(lines) and (j == k or not lines[j - 1].strip()
                                       or len(lines[j - 1]) - len(lines[j - 1].lstrip(" ")) >= indent):
                if _SKIP_REVIEW.search(lines[j - 1]):
                    lines[j - 1] = _SKIP_REVIEW.sub(r"\1", lines[j - 1], count=1)
                    file_lines = file_lines - {k}
                    break
                j += 1
    keep = []
    skip_indent = None
    for k, ln in enumerate(lines, start=1):
        if skip_indent is not None:
            if ln.strip() and len(ln) - len(ln.lstrip(" ")) > skip_indent:
                continue
            skip_indent = None
        if k in file_lines:
            m = re.match(r"^(\s*)review:", ln)
            if not m:
                raise CzError(f"{path}:{k}: expected a review: field there; the file changed since the checklist")
            skip_indent = len(m.group(1))
            continue
        keep.append(ln)
    _replace(path, "".join(keep))


# a review: field inside a flow mapping ({name: …, review: proposed by cz ingest …}), with one comma beside it
_FLOW_REVIEW = re.compile(r"""(?:,\s*review:\s*(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^,}]*?)(?=\s*[,}])"""
                          r"""|review:\s*(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^,}]*?)\s*,\s*)""")


def _drop_fields(path: Path, file_lines: set[int]) -> None:
    """Remove the ``review:`` field of each vocabulary entry written on
    ``file_lines``: a field on a line of its own (a block mapping) goes with
    its line, one inside a flow mapping (``{name: …, review: …}``, as
    `cz ingest` writes them) is cut out of it."""
    lines = path.read_text(encoding="utf-8").splitlines(True)
    block = set()
    for k in sorted(file_lines):
        ln = lines[k - 1] if 1 <= k <= len(lines) else ""
        if re.match(r"^\s*review:", ln):
            block.add(k)
            continue
        got, n = _FLOW_REVIEW.subn("", ln, count=1)
        if n != 1:
            raise CzError(f"{path}:{k}: expected a review: field there; the file changed since the checklist")
        lines[k - 1] = got
    _replace(path, "".join(lines))
    if block:
        _drop_lines(path, block)


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.review-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise CzError(f"cannot write {path}: {exc.strerror or exc}") from None
