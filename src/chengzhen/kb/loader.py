"""Load ``data/`` into the typed model and check it.

A data directory holds one file per plan — ``plans/<id>.yaml``, its
catalogue entry (the ``plan:`` mapping at the top) and its body — with its
source ``sources/<id>.txt``; the vocabularies (``topics.yaml``,
``departments.yaml``, ``indicators.yaml``, and the entries plans added in
``vocabulary/<id>.yaml``) and the national plan (``national.yaml``); and,
optionally, ``plans.yaml``: the order plans are listed in.

Every record is read by its declared fields (``kb/fields.py``): unknown
keys, missing and mistyped fields, bad values.  Structural problems
(syntax, types, missing fields, duplicate ids, unknown topic / department /
indicator / plan, impossible years, a quote that is not in its source) are
reported as :class:`Problem` s naming ``file:line``, a code and the
offending id.  Codes are listed in docs/cli.md.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from chengzhen.errors import DataError
from chengzhen.kb import fields as FD
from chengzhen.kb import model as m
from chengzhen.kb.files import ORDER_FILE, PLANS_DIR, VOCABULARY_DIR, plan_file_ids
from chengzhen.kb.messages import N_, Msg as M, allowed, did_you_mean_hint, joined
from chengzhen.kb.messages import kind as KIND
from chengzhen.kb.problems import DataProblems, Problem, Sink, did_you_mean
from chengzhen.kb.yamlio import MAX_BYTES, Node, Seq, load_yaml, parse_yaml, read_text
from chengzhen.text.normalize import source_lines

PLAN_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*/[0-9a-z][0-9a-z._]*$")
YEAR_MIN, YEAR_MAX = 1949, 2100
URL = re.compile(r"^https?://[^\s/]+\S*$")

_MISSING = object()

# the keys each record accepts (kb/fields.py declares them)
PLAN_KEYS = FD.accepted("plan")
SECTION_KEYS = FD.accepted("section")
MEASURE_KEYS = FD.accepted("measure")
TARGET_KEYS = FD.accepted("target")


def label_for(root: Path, rel: str) -> str:
    """How a data file is named in messages: relative to the working directory
    when it lies below it (data/plans/qinghai.yaml), else absolute."""
    path = (root / rel).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _Abort(Exception):
    """The record being read is unusable; its problem is in the sink."""


class _Ctx:
    """Where we are, for error messages; problems go to ``sink``."""

    def __init__(self, label: str, sink: Sink, plan: str = ""):
        self.label = label
        self.sink = sink
        self.plan = plan

    def report(self, node, key, code, message, item=None, hint=None, line=None):
        if line is None:
            if isinstance(node, Node):
                line = node.line_of(key) if key else node.line
            elif isinstance(node, Seq):
                line = node.line
        self.sink.add(Problem(self.plan, code, item or "", None, message, "error", self.label, line, hint))

    def fail(self, node, key, code, message, item=None, hint=None, line=None):
        self.report(node, key, code, message, item, hint, line)
        raise _Abort()


def _allowed(values) -> Msg:
    return allowed(values)


def _near_allowed(near: list, values) -> Msg:
    """``did you mean 'x'? allowed: a, b``."""
    return joined(did_you_mean_hint(near[:1]), _allowed(values), sep=" ")


_TYPE_NAMES = {Node: N_("a mapping"), Seq: N_("a list"), list: N_("a list"), dict: N_("a mapping"), str: N_("text"),
               int: N_("a whole number"), float: N_("a number"), bool: N_("true/false")}


def _type_name(value) -> Msg | str:
    name = _TYPE_NAMES.get(type(value))
    return M(name) if name else type(value).__name__


def _known_keys(ctx: _Ctx, node: Node, allowed, item=None):
    """An unknown field (a typo such as titel) is reported and ignored: the
    rest of the record is still read and checked."""
    if not isinstance(node, Node):
        ctx.fail(node, None, "E111", M(N_("expected a mapping, got {type}"), type=_type_name(node)), item)
    for key in [k for k in node if k not in allowed]:
        near = did_you_mean(key, sorted(allowed), 1)
        ctx.report(node, key, "E112", M(N_("unknown field {key!r}"), key=key), item, _near_allowed(near, sorted(allowed)))


def _item_line(node: Node, key: str, i: int) -> int:
    """The line of the i-th item of list ``key`` (the key's line for a flow list)."""
    value = node.get(key) if isinstance(node, Node) else None
    if isinstance(value, Seq):
        return value.line_at(i)
    return node.line_of(key) if isinstance(node, Node) else 0


def _field_lines(node: Node, *list_keys: str) -> dict:
    """key -> line, and ``key[i]`` -> line of a list's i-th item."""
    out = dict(node.key_lines) if isinstance(node, Node) else {}
    for k in list_keys:
        v = node.get(k) if isinstance(node, Node) else None
        if isinstance(v, Seq):
            for i, ln in enumerate(v.lines):
                out[f"{k}[{i}]"] = ln
    return out


# --------------------------------------------------------------------------- one record, by its declared fields

_LISTS = {"names", "line list", "records", "departments"}


def _default(f: FD.F):
    return () if f.type in _LISTS and f.default is None else f.default


def _typed(ctx: _Ctx, node: Node, f: FD.F, value, item, line_ok):
    """``value`` as field ``f`` wants it, or a problem reported (returns _MISSING)."""
    key, t = f.name, f.type

    def bad(code, message, hint=None, line=None):
        ctx.report(node, key, code, message, item, hint, line)
        return _MISSING

    if t == "flag":
        return value if isinstance(value, bool) else bad(
            "E111", M(N_("field {key!r} must be true or false, got {value!r}"), key=key, value=value))
    if isinstance(value, bool) and t != "date":
        return bad("E111", M(N_("field {key!r} has the wrong type (bool)"), key=key))
    if t in ("text", "choice"):
        if not isinstance(value, str):
            return bad("E111", M(N_("field {key!r} must be text, got {type}"), key=key, type=_type_name(value)))
        if t == "choice" and value not in f.choices:
            near = did_you_mean(value, [str(c) for c in f.choices], 1)
            return bad("E113", M(N_("{key} {value!r} is not allowed"), key=key, value=value),
                       _near_allowed(near, f.choices))
        return value
    if t in ("whole", "line", "year"):
        if not isinstance(value, int):
            return bad("E111", M(N_("field {key!r} must be a whole number, got {type}"), key=key,
                                 type=_type_name(value)))
        if t == "year" and not YEAR_MIN <= value <= YEAR_MAX:
            return bad("E140", M(N_("impossible year {year}"), year=value),
                       M(N_("allowed: {first}–{last}"), first=YEAR_MIN, last=YEAR_MAX))
        if t == "line" and line_ok is not None and (why := line_ok(value)):
            return bad("E151", M(N_("line {line} is outside the source"), line=value), why)
        return value
    if t == "number":
        if not isinstance(value, (int, float)):
            return bad("E111", M(N_("field {key!r} must be a whole number/a number, got {type}"), key=key,
                                 type=_type_name(value)))
        if value != value or value in (float("inf"), float("-inf")):
            return bad("E111", M(N_("field {key!r} must be a finite number"), key=key))
        return float(value)
    if t == "text or number":
        if not isinstance(value, (str, int, float)):
            return bad("E111", M(N_("field {key!r} must be text/a whole number/a number, got {type}"), key=key,
                                 type=_type_name(value)))
        return value
    if t == "date":
        text = str(value)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return bad("E113", M(N_("{key} must be YYYY-MM-DD"), key=key))
        if not YEAR_MIN <= int(text[:4]) <= YEAR_MAX:
            return bad("E140", M(N_("impossible issue date {date}"), date=text))
        import datetime

        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return bad("E113", M(N_("no such date {date}"), date=text))
        return text
    if t == "line range":
        if isinstance(value, int):
            return value, value
        got = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", value) if isinstance(value, str) else None
        if not got:
            return bad("E113", M(N_("line range must be N or N-M, got {value!r}"), value=value))
        first, last = int(got.group(1)), int(got.group(2) or got.group(1))
        if last < first:
            return bad("E113", M(N_("line range {value!r} ends before it starts"), value=value))
        return first, last
    if t == "names":
        if not isinstance(value, list):
            return bad("E111", M(N_("field {key!r} must be a list, got {type}"), key=key, type=_type_name(value)))
        for i, v in enumerate(value):
            if not isinstance(v, str) or not v.strip():
                return bad("E111", M(N_("{key!r} must be a list of non-empty strings"), key=key),
                           line=_item_line(node, key, i))
        return tuple(value)
    if t == "line list":
        if not isinstance(value, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in value):
            return bad("E111", M(N_("{key} must be a list of line numbers"), key=key))
        return tuple(value)
    if t in ("records", "departments"):
        return value if isinstance(value, list) else bad(
            "E111", M(N_("field {key!r} must be a list, got {type}"), key=key, type=_type_name(value)))
    if t in ("record", "reasons"):
        return value if isinstance(value, Node) else bad(
            "E111", M(N_("field {key!r} must be a mapping, got {type}"), key=key, type=_type_name(value)))
    raise AssertionError(f"undeclared field type {t!r}")


def read(ctx: _Ctx, node, kind: str, item=None, line_ok=None) -> dict:
    """Record ``node`` of ``kind`` as {field: value} by its declared fields
    (kb/fields.py): unknown keys (E112) are reported and ignored; a missing
    required field (E110), a wrong type (E111), a value not allowed (E113),
    an impossible year (E140) or a line outside the source (E151) is
    reported — every one of the record's — and the record is dropped
    (:class:`_Abort`).  ``line_ok(n)`` says why line ``n`` is not in the
    source (None when it is)."""
    if not isinstance(node, Node):
        ctx.fail(None, None, "E111", M(N_("each {kind} must be a mapping, got {type}"), kind=KIND(kind),
                                       type=_type_name(node)), item)
    _known_keys(ctx, node, FD.accepted(kind), item)
    out: dict = {}
    broken = False
    for f in FD.FIELDS[kind]:
        if f.presence == FD.DERIVED:
            continue
        value = node.get(f.name, _MISSING)
        if value is _MISSING:
            if f.presence in (FD.REQUIRED, FD.NULLABLE):
                ctx.report(node, None, "E110", M(N_("missing required field {key!r} (use [] for none)"), key=f.name)
                           if f.type in _LISTS else M(N_("missing required field {key!r}"), key=f.name), item)
                broken = True
            out[f.name] = _default(f)
        elif value is None:
            if f.presence == FD.REQUIRED and f.type not in ("names", "departments"):
                ctx.report(node, f.name, "E111", M(N_("field {key!r} must not be empty"), key=f.name), item)
                broken = True
            out[f.name] = _default(f)
        else:
            got = _typed(ctx, node, f, value, item, line_ok)
            broken |= got is _MISSING
            out[f.name] = got
    if broken:
        raise _Abort()
    return out


def attributes(kind: str, values: dict) -> dict:
    """The model attributes a record's declared fields fill."""
    return {f.attribute: values[f.name] for f in FD.FIELDS[kind] if f.attribute and f.presence != FD.DERIVED}


def _load(path: Path, label: str, sink: Sink, plan: str = ""):
    """A YAML file, or None when it cannot be read (the problem is in the sink)."""
    try:
        return load_yaml(path, label)
    except DataError as exc:
        sink.from_error(exc, plan)
        return None


# --------------------------------------------------------------------------- the catalogue

HEAD_BLOCK = 1 << 13  # a catalogue entry is about 1 KB: most heads are read in one block


def plan_head(path: Path) -> str | None:
    """The top of a plan file up to the end of its ``plan:`` mapping (the
    catalogue entry), read without the rest of the file; None when the file
    does not start that way (comments and blank lines aside) or cannot be
    read so — then it is parsed whole, and its problem reported from that."""
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size > MAX_BYTES:
                return None
            buf = b""
            pos = 0  # where the next line starts
            started = False
            while True:
                nl = buf.find(b"\n", pos)
                if nl < 0:
                    more = f.read(HEAD_BLOCK)
                    if not more:
                        end = len(buf) if started else -1
                        break
                    buf += more
                    continue
                line = buf[pos:nl + 1]
                if line[:1] not in (b" ", b"\t", b"#", b"\n", b"\r") and line.strip():
                    if started:
                        end = pos
                        break
                    if not (line.startswith(b"plan:") and line[5:6] in (b"\n", b"\r", b" ", b"\t")):
                        return None
                    started = True
                pos = nl + 1
    except OSError:
        return None
    if end < 0 or b"\x00" in buf[:end]:
        return None
    try:
        return buf[:end].decode("utf-8")
    except UnicodeDecodeError:
        return None


def order_of(root: Path, sink: Sink | None = None) -> list[str]:
    """The ids ``plans.yaml`` lists first (``order:``), if it exists."""
    path = root / ORDER_FILE
    if not path.is_file():
        return []
    sink = sink if sink is not None else Sink()
    label = label_for(root, ORDER_FILE)
    ctx = _Ctx(label, sink)
    doc = _load(path, label, sink)
    if doc is None:
        return []
    if not isinstance(doc, Node):
        ctx.report(None, None, "E111", M(N_("expected a mapping with an 'order' list")), line=1)
        return []
    if "plans" in doc:
        ctx.report(doc, "plans", "E112", M(N_("a catalogue list in plans.yaml is the old layout: each plan's entry "
                                              "is now the 'plan:' mapping of plans/<id>.yaml")),
                   hint=M(N_("move them with: python -m chengzhen.kb.migrate {root}"), root=str(root)))
    _known_keys(ctx, doc, {"order", "plans"})
    value = doc.get("order")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        ctx.report(doc, "order", "E111", M(N_("'order' must be a list of plan ids")))
        return []
    seen: dict[str, int] = {}
    for i, pid in enumerate(value):
        if pid in seen:
            ctx.report(doc, "order", "E120", M(N_("plan {plan!r} listed twice in the order"), plan=pid), pid,
                       line=_item_line(doc, "order", i))
        seen.setdefault(pid, i)
    return list(seen)


def sort_plans(ids, order: list[str]) -> list[str]:
    """Plan ids in listing order: those ``order`` names, in its order, then
    the others by id (a name in ``order`` with no plan file is passed over)."""
    rank = {pid: i for i, pid in enumerate(order)}
    return sorted(ids, key=lambda pid: (rank.get(pid, len(rank)), pid))


def load_entry(root: Path, pid: str, sink: Sink, label: str | None = None) -> m.Plan | None:
    """The catalogue entry of plan ``pid`` (the ``plan:`` mapping of its
    file), or None with its problems in ``sink``.  ``label``: how the file
    is named in messages (default: :func:`label_for`)."""
    rel = f"{PLANS_DIR}/{pid}.yaml"
    label = label or label_for(root, rel)
    ctx = _Ctx(label, sink, pid)
    if not PLAN_ID.match(pid):
        ctx.report(None, None, "E113", M(N_("plan id {plan!r} (the file's name) must match [a-z][a-z0-9_]*"),
                                         plan=pid), pid, line=1)
        return None
    head = plan_head(root / rel)
    if head is not None:
        trial = Sink()
        try:
            plan = _entry_of(_Ctx(label, trial, pid), parse_yaml(head, label), pid)
        except DataError:
            plan = None
        if plan is not None and not trial.problems:
            return plan
    # not in the usual layout, or a problem: the whole file says what is wrong
    # (a YAML error anywhere in it first)
    doc = _load(root / rel, label, sink, pid)
    if doc is None:
        return None
    return _entry_of(ctx, doc, pid)


def _entry_of(ctx: _Ctx, doc, pid: str) -> m.Plan | None:
    try:
        if not isinstance(doc, Node):
            ctx.fail(None, None, "E111", M(N_("expected a mapping with 'plan' and 'sections'")), pid, line=1)
        entry = doc.get("plan", _MISSING)
        if entry is _MISSING:
            ctx.fail(doc, None, "E110", M(N_("missing required field 'plan' (the plan's catalogue entry)")), pid)
        if not isinstance(entry, Node):
            ctx.fail(doc, "plan", "E111", M(N_("'plan' must be the plan's catalogue entry (a mapping: id, name, …)")),
                     pid, M(N_("a file of the old layout names its plan here; python -m chengzhen.kb.migrate moves "
                               "the entry from plans.yaml")) if isinstance(entry, str) else None)
        return _catalogue_entry(ctx, entry, pid)
    except _Abort:
        return None


def load_catalogue(root: Path, sink: Sink | None = None) -> list[m.Plan]:
    """Every plan's catalogue entry, in listing order.  Without a sink, any
    problem raises :class:`DataProblems` (all of them); with one, problems
    are collected and the plans that could be read are returned."""
    own = sink is None
    sink = sink if sink is not None else Sink()
    ids = plan_file_ids(root)
    plans: list[m.Plan] = []
    folder = label_for(root, PLANS_DIR)  # (resolved once, not per plan)
    for pid in sort_plans(ids, order_of(root, sink)):
        plan = load_entry(root, pid, sink, f"{folder}/{pid}.yaml")
        if plan is not None:
            plans.append(plan)
    no_plans(root, ids, sink)
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return plans


def no_plans(root: Path, ids: list[str], sink: Sink) -> None:
    """E110 for a data directory without a plan."""
    if not ids:
        sink.add(Problem("", "E110", "", None, M(N_("the data directory has no plan ({files})"),
                                                 files=f"{PLANS_DIR}/<id>.yaml"), "error",
                         label_for(root, PLANS_DIR), None))


def _catalogue_entry(ctx: _Ctx, entry: Node, pid: str) -> m.Plan:
    v = read(ctx, entry, "plan", pid)
    if v["id"] != pid:
        ctx.fail(entry, "id", "E133", M(N_("file is for plan {plan!r}, its entry says {id!r}"), plan=pid, id=v["id"]),
                 pid, M(N_("a plan's file is {dir}/<its id>.yaml"), dir=PLANS_DIR))
    if v["url"] is not None and not URL.match(v["url"]):
        ctx.fail(entry, "url", "E113", M(N_("url {url!r} is not a web address"), url=v["url"]), pid,
                 M(N_("allowed: http://… or https://…")))
    if v["accessed"] is not None and v["url"] is None:
        ctx.fail(entry, "accessed", "E113", M(N_("accessed is the day the page at url was read: the entry has no url")),
                 pid, M(N_("give the url, or remove accessed")))
    period = read(ctx, v["period"], "period", pid)
    if period["end"] < period["start"]:
        ctx.fail(v["period"], "end", "E140", M(N_("plan period ends ({end}) before it starts ({start})"),
                                               end=period["end"], start=period["start"]), pid)
    skips = []
    for s in v["skip"]:
        sv = read(ctx, s, "skip", pid)
        skips.append(m.Skip(*sv["lines"], **attributes("skip", sv)))
    repairs = [m.Repair(**attributes("repair", read(ctx, r, "repair", pid))) for r in v["repairs"]]
    supplied_node = v["supplied"]
    if supplied_node is None:
        supplied_node = Node()
        supplied_node.key_lines = {}
    supplied = []
    for key, reason in supplied_node.items():
        if key not in m.SUPPLIABLE:
            near = did_you_mean(key, m.SUPPLIABLE, 1)
            ctx.fail(supplied_node, key, "E112", M(N_("{key!r} is not a field the editors can supply"), key=key), pid,
                     _near_allowed(near, m.SUPPLIABLE))
        if not isinstance(reason, str) or not reason.strip():
            ctx.fail(supplied_node, key, "E111", M(N_("supplied {key!r} needs the reason, as text"), key=key), pid)
        supplied.append((key, reason))
    name_as_written = v["name_as_written"]
    if name_as_written is None:
        name_as_written = "name" not in dict(supplied)
    elif name_as_written == ("name" in dict(supplied)):
        ctx.fail(entry, "name_as_written", "E113",
                 M(N_("name_as_written must be false exactly when the name is supplied by the editors")), pid,
                 M(N_("give the reason as supplied: {{name: …}}, or remove name_as_written")))
    return m.Plan(
        **attributes("plan", v),
        period_start=period["start"], period_end=period["end"], name_as_written=name_as_written,
        skip=tuple(skips), repairs=tuple(repairs), supplied=tuple(supplied),
        file=ctx.label, file_line=entry.line,
        field_lines={**_field_lines(entry, "title_lines", "skip"),
                     **{f"period.{k}": n for k, n in v["period"].key_lines.items()},
                     **{f"supplied.{k}": n for k, n in supplied_node.key_lines.items()}},
    )


# --------------------------------------------------------------------------- vocabularies

def vocabulary_files(root: Path, base: str) -> list[str]:
    """A vocabulary's files, relative to ``root``: the shared one, then the
    entries each plan added (``vocabulary/<id>.yaml``), by name."""
    try:
        names = sorted(n for n in os.listdir(root / VOCABULARY_DIR) if n.endswith(".yaml") and not n.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        names = []
    return [base] + [f"{VOCABULARY_DIR}/{n}" for n in names]


def load_topics(root: Path, sink: Sink | None = None) -> list[m.Topic]:
    own = sink is None
    sink = sink if sink is not None else Sink()
    label = label_for(root, "topics.yaml")
    ctx = _Ctx(label, sink)
    topics: list[m.Topic] = []
    names: dict[str, int] = {}
    seen_syn: dict[str, str] = {}
    doc = _load(root / "topics.yaml", label, sink)

    def add(node, parent):
        if not isinstance(node, Node):
            ctx.fail(doc, "topics", "E111", M(N_("each topic must be a mapping")))
        v = read(ctx, node, "topic", node.get("name") if isinstance(node.get("name"), str) else None)
        name = v["name"]
        if name in names:
            ctx.fail(node, "name", "E120", M(N_("duplicate topic (first on line {first})"), first=names[name]), name)
        names[name] = node.line_of("name")
        for syn in v["synonyms"]:
            if seen_syn.get(syn, name) != name:
                ctx.report(node, "synonyms", "E160", M(N_("synonym {synonym!r} already belongs to {topic!r}"),
                                                       synonym=syn, topic=seen_syn[syn]), name)
            seen_syn.setdefault(syn, name)
        topics.append(m.Topic(**attributes("topic", v), parent=parent, order=len(topics)))
        if v["children"] and parent is not None:
            ctx.fail(node, "children", "E113", M(N_("topics have two levels only")), name)
        for child in v["children"]:
            try:
                add(child, name)
            except _Abort:
                continue

    try:
        if doc is not None:
            if not isinstance(doc, Node):
                ctx.fail(None, None, "E111", M(N_("expected a mapping with a {key!r} list"), key="topics"), line=1)
            nodes = doc.get("topics")
            if not isinstance(nodes, list):
                ctx.fail(doc, "topics" if "topics" in doc else None, "E110" if "topics" not in doc else "E111",
                         M(N_("missing required field {key!r}"), key="topics") if "topics" not in doc
                         else M(N_("{key!r} must be a list"), key="topics"))
            for node in nodes:
                try:
                    add(node, None)
                except _Abort:
                    continue
    except _Abort:
        pass
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return topics


def _load_names(root: Path, base: str, key: str, kind: str, merge: tuple[str, ...], sink: Sink,
                proposals: list) -> list[dict]:
    """A vocabulary of canonical names with aliases (departments,
    indicators), from its shared file and the plans' vocabulary files: no
    name twice in one file, no alias of two names.  A name several files
    define is one entry (its aliases the union) if they agree on ``merge``
    (a department's level, an indicator's unit): two curators who add the
    same department on two branches merge cleanly."""
    out: dict[str, dict] = {}
    seen: dict[str, str] = {}
    for rel in vocabulary_files(root, base):
        path = root / rel
        if rel != base and not path.is_file():
            continue
        label = label_for(root, rel)
        ctx = _Ctx(label, sink)
        doc = _load(path, label, sink)
        if doc is None:
            continue
        try:
            if not isinstance(doc, Node):
                ctx.fail(None, None, "E111", M(N_("expected a mapping with a {key!r} list"), key=key), line=1)
            if rel == base:
                _known_keys(ctx, doc, {key})
                if key not in doc:
                    ctx.fail(doc, None, "E110", M(N_("missing required field {key!r}"), key=key))
            else:
                _known_keys(ctx, doc, {"departments", "indicators", "places"})  # places: kb/places.py reads them
            nodes = doc.get(key) or []
            if not isinstance(nodes, list):
                ctx.fail(doc, key, "E111", M(N_("{key!r} must be a list"), key=key))
        except _Abort:
            continue
        here: set[str] = set()
        for node in nodes:
            try:
                v = read(ctx, node, kind, node.get("name") if isinstance(node, Node) else None)
                name = v["name"]
                if name in here:
                    ctx.fail(node, "name", "E120", M(N_("duplicate {kind}"), kind=KIND(kind)), name)
                here.add(name)
                for n in (name, *v["aliases"]):
                    if n in seen and seen[n] != name:
                        ctx.fail(node, "name", "E160", M(N_("name {name!r} already belongs to {other!r}"), name=n,
                                                         other=seen[n]), name)
                old = out.get(name)
                if old is not None:
                    for k in merge:
                        if v[k] is not None and old[k] is not None and v[k] != old[k]:
                            ctx.fail(node, k, "E120", M(N_("{kind} {name!r} is defined in {file} with {key} {old!r}, "
                                                           "here with {new!r}"), kind=KIND(kind), name=name,
                                                        file=old["_file"], key=k, old=old[k], new=v[k]), name)
                for n in (name, *v["aliases"]):
                    seen[n] = name
                if v["review"] is not None:
                    proposals.append(m.Proposal(kind, name, v["review"], label, node.line_of("review")))
                if old is None:
                    out[name] = dict(v, _file=label)
                else:
                    old["aliases"] = tuple(dict.fromkeys((*old["aliases"], *v["aliases"])))
                    for k in merge:
                        old[k] = old[k] if old[k] is not None else v[k]
            except _Abort:
                continue
    return list(out.values())


def load_departments(root: Path, sink: Sink | None = None, proposals: list | None = None) -> list[m.Department]:
    own = sink is None
    sink = sink if sink is not None else Sink()
    got = _load_names(root, "departments.yaml", "departments", "department", ("level",), sink,
                      proposals if proposals is not None else [])
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return [m.Department(**attributes("department", v)) for v in got]


def load_indicators(root: Path, sink: Sink | None = None, proposals: list | None = None) -> list[m.Indicator]:
    own = sink is None
    sink = sink if sink is not None else Sink()
    got = _load_names(root, "indicators.yaml", "indicators", "indicator", ("unit",), sink,
                      proposals if proposals is not None else [])
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return [m.Indicator(**attributes("indicator", v)) for v in got]


# --------------------------------------------------------------------------- plan bodies

def dept_entries(ctx: _Ctx, node: Node, key: str, item: str) -> tuple[m.DeptEntry, ...]:
    """A 责任单位 list: names as written, or joint entries
    ``{joint: 西宁市、海东市政府, names: [西宁市政府, 海东市政府]}``."""
    value = node.get(key) if isinstance(node, Node) else None
    out = []
    for i, v in enumerate(value or []):
        line = _item_line(node, key, i)
        if isinstance(v, str) and v.strip():
            out.append(m.DeptEntry(v, (v,)))
        elif isinstance(v, Node):
            jv = read(ctx, v, "joint", item)
            if len(jv["names"]) < 2:
                ctx.fail(v, "names", "E111", M(N_("a joint entry names two or more departments")), item)
            out.append(m.DeptEntry(jv["joint"], jv["names"], True))
        else:
            ctx.fail(node, key, "E111", M(N_("{key!r} must list names, or joint entries {{joint: …, names: […]}}"),
                                          key=key), item, line=line)
    return tuple(out)


class _BodyReader:
    def __init__(self, plan: m.Plan, label: str, n_lines: int, sink: Sink):
        self.plan = plan
        self.ctx = _Ctx(label, sink, plan.id)
        self.body = m.PlanBody(plan.id, label)
        self.n_lines = n_lines
        self.ids: dict[str, int] = {}

    def line_ok(self, n: int) -> str | None:
        return None if 1 <= n <= self.n_lines else M(N_("allowed: {first}–{last}"), first=1, last=self.n_lines)

    def read(self, node, kind: str, item=None) -> dict:
        if item is None and isinstance(node, Node) and isinstance(node.get("id"), str):
            item = node["id"]
        return read(self.ctx, node, kind, item, self.line_ok)

    def check_id(self, node: Node, item: str):
        if not ITEM_ID.match(item):
            self.ctx.fail(node, "id", "E113", M(N_("id must look like <plan>/<path> (lower case, digits, dots)")), item)
        if item.split("/", 1)[0] != self.plan.id:
            self.ctx.fail(node, "id", "E121", M(N_("id does not start with the plan id {plan!r}/"), plan=self.plan.id),
                          item)
        if item in self.ids:
            self.ctx.fail(node, "id", "E120", M(N_("duplicate id (first on line {first})"), first=self.ids[item]), item)
        self.ids[item] = node.line_of("id")

    def section(self, node, parent: str | None, depth: int):
        v = self.read(node, "section")
        sid = v["id"]
        self.check_id(node, sid)
        self.body.sections.append(m.Section(
            **attributes("section", v), plan=self.plan.id, parent=parent, depth=depth,
            order=len(self.body.sections), file_line=node.line, field_lines=_field_lines(node, "topics"),
        ))
        for child in v["measures"]:
            try:
                self.measure(child, sid)
            except _Abort:
                continue
        for child in v["sections"]:
            try:
                self.section(child, sid, depth + 1)
            except _Abort:
                continue

    def measure(self, node, section: str | None):
        ctx = self.ctx
        v = self.read(node, "measure")
        mid = v["id"]
        self.check_id(node, mid)
        if v["line_end"] is None:
            v["line_end"] = v["line"]
        if v["line_end"] < v["line"]:
            ctx.fail(node, "line_end", "E113", M(N_("line_end is before line")), mid)
        if not v["text"].strip():
            ctx.fail(node, "text", "E111", M(N_("text must not be empty")), mid)
        targets = []
        for t in v["targets"]:
            try:
                targets.append(self.target(t, mid, v["line"]))
            except _Abort:
                continue
        entries = dept_entries(ctx, node, "departments", mid)
        self.body.measures.append(m.Measure(
            **attributes("measure", v), plan=self.plan.id, section=section,
            departments=tuple(n for e in entries for n in e.names), dept_entries=entries,
            targets=tuple(targets), order=len(self.body.measures), file_line=node.line,
            field_lines=_field_lines(node, "topics", "tasks", "departments", "lead"),
        ))

    def target(self, node, mid: str, default_line: int) -> m.Target:
        ctx = self.ctx
        v = self.read(node, "target", mid)
        if v["year"] is not None and v["baseline_year"] is not None and v["baseline_year"] > v["year"]:
            ctx.fail(node, "baseline_year", "E141",
                     M(N_("baseline year {baseline} is after the target year {year}"), baseline=v["baseline_year"],
                       year=v["year"]), mid)
        if v["value"] is not None and v["value_max"] is not None and v["value_max"] < v["value"]:
            ctx.fail(node, "value_max", "E113", M(N_("value_max is smaller than value")), mid)
        if v["line"] is None:
            v["line"] = default_line
        return m.Target(**attributes("target", v), file_line=node.line, field_lines=_field_lines(node))

    def annex(self, node):
        v = self.read(node, "annex")
        aid = v["id"]
        self.check_id(node, aid)
        groups = []
        for g in v["groups"]:
            gv = self.read(g, "annex group", aid)
            items = tuple(m.AnnexItem(**attributes("annex item", self.read(it, "annex item", aid)))
                          for it in gv["items"])
            groups.append(m.AnnexGroup(**attributes("annex group", gv), items=items))
        if v["line_end"] is None:
            v["line_end"] = v["line"]
        self.body.annexes.append(m.Annex(
            **attributes("annex", v), plan=self.plan.id, groups=tuple(groups), file_line=node.line,
            field_lines=_field_lines(node),
        ))

    def all_tasks(self, node):
        v = self.read(node, "all tasks", self.plan.id)
        entries = dept_entries(self.ctx, node, "departments", self.plan.id)
        self.body.all_tasks = m.AllTasksDepartments(
            **attributes("all tasks", v), departments=tuple(n for e in entries for n in e.names),
            dept_entries=entries, file_line=node.line)


def load_body(root: Path, plan: m.Plan, n_lines: int, sink: Sink | None = None) -> m.PlanBody | None:
    own = sink is None
    sink = sink if sink is not None else Sink()
    label = label_for(root, f"{PLANS_DIR}/{plan.id}.yaml")
    doc = _load(root / PLANS_DIR / f"{plan.id}.yaml", label, sink, plan.id)
    reader = _BodyReader(plan, label, n_lines, sink)
    ctx = reader.ctx
    try:
        if doc is None:
            raise _Abort()
        if not isinstance(doc, Node):
            ctx.fail(None, None, "E111", M(N_("expected a mapping with 'plan' and 'sections'")), line=1)
        # the `plan:` entry was read with the catalogue; the rest is the body
        v = reader.read(doc, "plan file", plan.id)
        for nodes, read_one in ((v["measures"], lambda n: reader.measure(n, None)),
                                (v["sections"], lambda n: reader.section(n, None, 0)),
                                (v["annexes"], reader.annex)):
            for node in nodes:
                try:
                    read_one(node)
                except _Abort:
                    continue
        if v["applies_to_all_tasks"] is not None:
            try:
                reader.all_tasks(v["applies_to_all_tasks"])
            except _Abort:
                pass
        if not reader.body.measures and not reader.body.sections and not any(
                p.file == label for p in sink.problems):
            ctx.fail(doc, None, "E110", M(N_("plan has no sections or measures")), plan.id)
    except _Abort:
        if own:
            raise DataProblems(sink.problems) from None
        return None
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return reader.body


def normalized_source(root: Path, plan: m.Plan) -> list[str]:
    label = label_for(root, plan.source)
    raw = read_text(root / plan.source, label)
    lines = raw.split("\n")
    for rep in plan.repairs:
        if not 1 <= rep.line <= len(lines) or rep.source not in lines[rep.line - 1]:
            raise DataError(plan.file, plan.field_lines.get("repairs", plan.file_line), "E207",
                            M(N_("repair text not found on source line {line}"), line=rep.line), plan.id)
    return source_lines(raw, plan.script, plan.repairs)


# --------------------------------------------------------------------------- the national plan

def load_national(root: Path, sink: Sink | None = None) -> m.National | None:
    """data/national.yaml: the national plan's groups and tasks (optional)."""
    path = root / "national.yaml"
    if not path.is_file():
        return None
    own = sink is None
    sink = sink if sink is not None else Sink()
    label = label_for(root, "national.yaml")
    ctx = _Ctx(label, sink)
    doc = _load(path, label, sink)
    groups: list[m.NationalGroup] = []
    tasks: list[m.NationalTask] = []
    seen: dict[str, int] = {}
    result = None

    def check_id(node, nid, prefix):
        if not re.fullmatch(prefix, nid):
            ctx.fail(node, "id", "E113", M(N_("national id {id!r} must look like {pattern}"), id=nid, pattern=prefix),
                     nid)
        if nid in seen:
            ctx.fail(node, "id", "E120", M(N_("duplicate id (first on line {first})"), first=seen[nid]), nid)
        seen[nid] = node.line_of("id")

    try:
        if doc is None:
            raise _Abort()
        if not isinstance(doc, Node):
            ctx.fail(None, None, "E111", M(N_("expected a mapping with 'plan' and 'actions'")), line=1)
        _known_keys(ctx, doc, {"plan", "actions"})
        if not isinstance(doc.get("plan"), Node):
            ctx.fail(doc, "plan" if "plan" in doc else None, "E110" if "plan" not in doc else "E111",
                     M(N_("the national plan's head ('plan': id, name, …) must be a mapping")))
        head = read(ctx, doc["plan"], "national head")
        actions = doc.get("actions")
        if not isinstance(actions, list):
            ctx.fail(doc, "actions" if "actions" in doc else None, "E110" if "actions" not in doc else "E111",
                     M(N_("'actions' must be a list of the national plan's groups")))
        for g in actions:
            try:
                gv = read(ctx, g, "national group", g.get("id") if isinstance(g, Node) else None)
                gid = gv["id"]
                check_id(g, gid, r"national/\d+")
                groups.append(m.NationalGroup(**attributes("national group", gv), order=len(groups), file_line=g.line,
                                              field_lines=_field_lines(g)))
                for t in gv["tasks"]:
                    try:
                        tv = read(ctx, t, "national task", t.get("id") if isinstance(t, Node) else gid)
                        check_id(t, tv["id"], re.escape(gid) + r"\.\d+")
                        tasks.append(m.NationalTask(**attributes("national task", tv), group=gid, order=len(tasks),
                                                    file_line=t.line, field_lines=_field_lines(t)))
                    except _Abort:
                        continue
            except _Abort:
                continue
        result = m.National(head["id"], head["name"], head["doc_number"], head["issuer"],
                            tuple(groups), tuple(tasks), label)
    except _Abort:
        result = None
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return result


# --------------------------------------------------------------------------- everything

def load_vocabularies(root: Path, sink: Sink | None = None) -> m.Vocabularies:
    own = sink is None
    sink = sink if sink is not None else Sink()
    proposals: list[m.Proposal] = []
    topics = load_topics(root, sink)
    depts, inds = load_departments(root, sink, proposals), load_indicators(root, sink, proposals)
    from chengzhen.kb.places import place_proposals  # places a plan's vocabulary file proposes (docs/places.md)

    proposals += [m.Proposal(*p) for p in place_proposals(root)]
    vocab = m.Vocabularies(tuple(topics), tuple(depts), tuple(inds), load_national(root, sink), tuple(proposals))
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return vocab


def load_kb(root: Path, sink: Sink | None = None) -> m.KnowledgeBase:
    """The catalogue and the vocabularies; plan bodies are loaded one by one
    with :func:`load_plan` (the build streams them).  Without a sink every
    problem raises :class:`DataProblems` (all of them at once)."""
    if not (root / PLANS_DIR).is_dir():
        raise DataError(label_for(root, PLANS_DIR), None, "E150",
                        M(N_("data directory not found (no plans/ in it); set CZ_DATA to the data directory or "
                             "reinstall cz")))
    own = sink is None
    sink = sink if sink is not None else Sink()
    plans = load_catalogue(root, sink)
    vocab = load_vocabularies(root, sink)
    if own and sink.problems:
        raise DataProblems(sink.problems)
    return m.KnowledgeBase(str(root), tuple(plans), vocab)


def vocabulary_label(root: Path, kind: str) -> str:
    return label_for(root, {"topic": "topics.yaml", "department": "departments.yaml",
                            "indicator": "indicators.yaml", "national task": "national.yaml"}[kind])


def _unknown(ctx: _Ctx, root: Path, kind: str, word: str, known, item: str, line: int) -> None:
    near = did_you_mean(word, known)
    where = vocabulary_label(root, kind)
    if kind in ("department", "indicator"):
        goes = M(N_("a new {kind} goes in {file} (or {plan_file}, with the plan)"), kind=KIND(kind), file=where,
                 plan_file=f"{label_for(root, VOCABULARY_DIR)}/{ctx.plan or '<plan>'}.yaml")
    else:
        goes = M(N_("a new {kind} goes in {file}"), kind=KIND(kind), file=where)
    code = {"topic": "E130", "department": "E131", "indicator": "E132", "national task": "E134"}[kind]
    ctx.report(None, None, code, M(N_("unknown {kind} {word!r}"), kind=KIND(kind), word=word), item,
               joined(did_you_mean_hint(near), goes, sep=" "), line=line)


def _resolve(body: m.PlanBody, vocab: m.Vocabularies, root: Path, ctx: _Ctx) -> None:
    """Check every name against the vocabularies.  Synonyms and aliases are
    accepted as what they are: the model holds the canonical name."""
    topics = vocab.topic_by_name
    indicators = vocab.indicator_by_name
    depts = vocab.dept_by_name
    tasks = vocab.national.task_ids if vocab.national else set()
    for i, s in enumerate(body.sections):
        for k, t in enumerate(s.topics):
            if t not in topics:
                _unknown(ctx, root, "topic", t, list(topics), s.id, s.field_lines.get(f"topics[{k}]", s.field_lines.get("topics", s.file_line)))
        canon = tuple(dict.fromkeys(topics.get(t, t) for t in s.topics if t in topics))
        if canon != s.topics:
            body.sections[i] = _replace(s, topics=canon)
    for i, meas in enumerate(body.measures):
        fl = meas.field_lines
        for k, t in enumerate(meas.topics):
            if t not in topics:
                _unknown(ctx, root, "topic", t, list(topics), meas.id, fl.get(f"topics[{k}]", fl.get("topics", meas.file_line)))
        for k, e in enumerate(meas.dept_entries):
            for d in e.names:
                if d not in depts:
                    _unknown(ctx, root, "department", d, list(depts), meas.id,
                             fl.get(f"departments[{k}]", fl.get("departments", meas.file_line)))
        for k, task in enumerate(meas.tasks):
            if task not in tasks:
                _unknown(ctx, root, "national task", task, sorted(tasks), meas.id,
                         fl.get(f"tasks[{k}]", fl.get("tasks", meas.file_line)))
        new_targets = []
        for t in meas.targets:
            if t.indicator not in indicators:
                _unknown(ctx, root, "indicator", t.indicator, list(indicators), meas.id,
                         t.field_lines.get("indicator", t.file_line))
                new_targets.append(t)
            else:
                canon_i = indicators[t.indicator]
                new_targets.append(t if canon_i == t.indicator else _replace(t, indicator=canon_i))
        canon = tuple(dict.fromkeys(topics[t] for t in meas.topics if t in topics))
        if canon != meas.topics or tuple(new_targets) != meas.targets:
            body.measures[i] = _replace(meas, topics=canon, targets=tuple(new_targets))
    if body.all_tasks:
        for d in body.all_tasks.departments:
            if d not in depts:
                _unknown(ctx, root, "department", d, list(depts), body.plan, body.all_tasks.file_line)


def _replace(obj, **changes):
    import dataclasses

    new = dataclasses.replace(obj, **changes)
    # field_lines are not compared, and dataclasses.replace keeps them
    return new


def load_plan(root: Path, plan: m.Plan, vocab: m.Vocabularies, sink: Sink | None = None) -> m.PlanBundle | None:
    """One plan's source and body, cross-checked against the vocabularies.
    Without a sink any problem raises :class:`DataProblems`; with one, the
    problems are collected and None is returned when the plan is unusable."""
    own = sink is None
    sink = sink if sink is not None else Sink()
    before = len(sink.problems)
    try:
        lines = normalized_source(root, plan)
    except DataError as exc:
        sink.from_error(exc, plan.id)
        if own:
            raise DataProblems(sink.problems) from None
        return None
    body = load_body(root, plan, len(lines), sink)
    if body is not None:
        _resolve(body, vocab, root, _Ctx(body.file, sink, plan.id))
    if own and len(sink.problems) > before:
        raise DataProblems(sink.problems)
    if body is None:
        return None
    return m.PlanBundle(plan, body, lines, label_for(root, plan.source))


def iter_bundles(kb: m.KnowledgeBase, only: set[str] | None = None, sink: Sink | None = None):
    """Each plan of the catalogue (or of ``only``), loaded, in catalogue order
    (with a sink: the plans that could be loaded)."""
    root = Path(kb.root)
    for plan in kb.plans:
        if only and plan.id not in only:
            continue
        bundle = load_plan(root, plan, kb.vocab, sink)
        if bundle is not None:
            yield bundle
