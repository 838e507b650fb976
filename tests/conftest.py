"""Shared fixtures.

* The real knowledge base (``data/``) is built once per session into a temp
  file; ``CZ_DATA``/``CZ_DB`` point every test at it, so the suite never
  touches the developer's ``data/build``.
* ``tiny`` copies a small, complete data directory (tests/data/tiny: one
  plan, a few measures) to a temp dir for loader, build and failure-path
  tests.
* ``cz(*args)`` runs the CLI in-process and returns (exit code, stdout, stderr).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _keep_bytecode() -> None:
    """Under PYTHONDONTWRITEBYTECODE (the team's machines set it) every
    process of a run — the main one, each xdist worker, each `cz` a test
    starts — compiles every module it imports and pytest rewrites every test
    file's asserts again: ~4 s of CPU per pytest process.  The suite
    keeps that bytecode in a cache of its own, outside the source tree
    (Python's pycache prefix: ~/.cache/chengzhen-tests/pycache, or
    PYTHONPYCACHEPREFIX when set), so nothing is written beside the sources.
    CZ_TEST_BYTECODE=0 leaves the environment as it is.  What the cache
    holds for pytest's temporary directories (a test's copies, the venvs of
    the slow pass) is never read again: each run starts by dropping it —
    that only (a checkout or a venv under /tmp keeps its bytecode).  A
    prefix hides the bytecode pip compiled when it installed the packages,
    so the first run of a new venv would compile every module of every
    package again, in each process at once: the prefix is first seeded
    with pip's (``_seed_from_installed``)."""
    if os.environ.get("CZ_TEST_BYTECODE") == "0" or not (sys.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")):
        return
    prefix = os.environ.get("PYTHONPYCACHEPREFIX")
    if not prefix:  # (an xdist worker finds the main process's in its environment)
        import tempfile

        prefix = str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chengzhen-tests" / "pycache")
        for old in Path(prefix, *Path(tempfile.gettempdir()).resolve().parts[1:]).glob("pytest-of-*"):
            shutil.rmtree(old, ignore_errors=True)
        _seed_from_installed(Path(prefix))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = prefix  # the workers and the `cz` processes the tests start
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False


def _seed_from_installed(prefix: Path) -> None:
    """Copy the bytecode pip wrote beside the installed packages
    (site-packages/**/__pycache__/*.cpython-3XX.pyc), and the interpreter's
    beside its standard library, to where the prefix looks for it, unless it
    is there already: the same files, valid for the same sources (a pyc
    records its source's mtime and size; one that does not match is compiled
    again, as always).  Once per state of each directory (its mtime: pip
    changes site-packages'), stamped in the prefix; with an editable
    install, what is ours is compiled as before."""
    import sysconfig

    tag = f".{sys.implementation.cache_tag}.pyc"
    paths = sysconfig.get_paths()
    # (the standard library's own tests and tools are never imported here)
    unused = {"test", "tests", "idlelib", "tkinter", "turtledemo", "lib2to3", "ensurepip", "site-packages"}
    for top, prune in [*((p, set()) for p in dict.fromkeys((paths["purelib"], paths["platlib"]))),
                       (paths["stdlib"], unused)]:
        try:
            stamp = Path(prefix, *Path(top).parts[1:], ".cz-seeded")
            state = str(os.stat(top).st_mtime_ns)
            if stamp.is_file() and stamp.read_text() == state:
                continue
            for root, dirs, files in os.walk(top):
                dirs[:] = [d for d in dirs if d not in prune]
                if os.path.basename(root) != "__pycache__":
                    continue
                into = Path(prefix, *Path(root).parent.parts[1:])  # (where importlib.util.cache_from_source looks)
                for name in files:
                    if name.endswith(tag) and not (into / name).exists():
                        into.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(os.path.join(root, name), into / name)
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(state)
        except OSError:
            continue  # a cache only: without it the run compiles what it imports


_keep_bytecode()


def _interruptible() -> None:
    """Ctrl-C reaches the `cz` processes the tests start.  A runner that
    starts pytest with SIGINT ignored — nohup, a background job of a
    non-interactive shell (`cmd &` in a script), some CI runners — passes
    that on to every process it starts (an ignored signal stays ignored
    across exec), and the tests that interrupt `cz` saw it exit 0 or 1, as
    if it had ignored Ctrl-C (test_hardening's four, test_cli's one).  The
    test processes take Python's own handler back; their children start
    with SIGINT at its default."""
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


_interruptible()

# the data the suite runs on: the repository's, or (CZ_TEST_DATA) another
# data directory — e.g. a copy with a sixth plan: the suite must stay green
DATA = Path(os.environ["CZ_TEST_DATA"]).resolve() if os.environ.get("CZ_TEST_DATA") else REPO / "data"


# the hypothesis budgets of the tests are CI's (CZ_FUZZ_SCALE=1, set by .ci/run);
# a default run takes a fiftieth of each (at least 5 examples a property: each
# property still runs, on its @example cases and a few generated), so the quick
# suite stays under two minutes (docs/performance.md, "The test suite's time")
FUZZ_DEFAULT = 0.02
FUZZ_SCALE = float(os.environ.get("CZ_FUZZ_SCALE", FUZZ_DEFAULT))


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cz(args: list[str], stdin: str | None = None, env: dict | None = None) -> Run:
    from chengzhen.cli.main import main

    old = sys.stdout, sys.stderr, sys.stdin
    out, err = io.StringIO(), io.StringIO()
    saved_env = {}
    if env:
        for k, v in env.items():
            saved_env[k] = os.environ.get(k)
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def real_db(tmp_path_factory) -> Path:
    from chengzhen.store.build import build

    path = tmp_path_factory.mktemp("db") / "chengzhen.db"
    build(DATA, path)
    return path


@pytest.fixture(scope="session", autouse=True)
def _data_read_once():
    """The repository's data (DATA, which no test changes) read once per
    test process by the two loaders every draft calls — ``cz ingest`` and
    the tests draft hundreds of texts against it, and each draft read the
    vocabularies, the catalogue and the place book again (two thirds of a
    made-up text's draft).  Only a call on DATA itself, without a sink, and
    only what loaded without a problem; per working directory (the labels
    of the files are relative to it).  ``load_book`` gives each caller its
    own dicts (``draft_places`` adds proposals to them; the records are
    frozen); the knowledge base is frozen records and tuples, and the
    session ends by checking it still equals DATA read afresh (a test
    that changed it fails here)."""
    from chengzhen.ingest import places as IP
    from chengzhen.ingest.known import book_copy
    from chengzhen.kb import loader as L

    real_kb, real_book = L.load_kb, IP.load_book
    home = DATA.resolve()
    kbs: dict = {}
    books: dict = {}

    def load_kb(root, sink=None):
        if sink is not None or Path(root).resolve() != home:
            return real_kb(root, sink)
        key = os.getcwd()
        if key not in kbs:
            kbs[key] = real_kb(root)
        return kbs[key]

    def load_book(data):
        if Path(data).resolve() != home:
            return real_book(data)
        key = os.getcwd()
        if key not in books:
            books[key] = real_book(data)
        book = books[key]
        if book is None:
            return None
        return book_copy(book)

    L.load_kb, IP.load_book = load_kb, load_book
    yield
    L.load_kb, IP.load_book = real_kb, real_book
    here = os.getcwd()
    try:
        for cwd, kb in kbs.items():
            os.chdir(cwd)
            assert kb == real_kb(DATA), f"a test changed the knowledge base read from {DATA} (in {cwd})"
    finally:
        os.chdir(here)


@contextlib.contextmanager
def _everywhere(name: str, real, stand_in):
    """``stand_in`` for ``real`` under ``name`` in every loaded chengzhen
    module that imported it, for the duration; ``real`` again after."""
    modules = [m for m in list(sys.modules.values())
               if getattr(m, "__name__", "").startswith("chengzhen.") and getattr(m, name, None) is real]
    for m in modules:
        setattr(m, name, stand_in)
    try:
        yield
    finally:
        for m in modules:
            setattr(m, name, real)


@pytest.fixture(scope="session", autouse=True)
def _yaml_parsed_once():
    """Each YAML text parsed once per test process (``kb.yamlio.parse_yaml``):
    the suite's builds, validations and drafts read the same files ten
    thousand times a run — the real data's, copied into a test's own
    directory, and the tiny plan's — a tenth of the suite's CPU.  The tree
    a text parses to depends on the text alone (the label only names the
    file in an error), so a text met again gets a fresh copy of the tree
    its first parse gave (mappings and sequences new, with their lines; the
    scalars are immutable), never a tree another caller holds.  A text that
    fails to parse is parsed again each time (its error names its own
    label), and so is a tree holding anything but mappings, sequences and
    plain scalars."""
    import datetime

    from chengzhen.kb import yamlio

    real = yamlio.parse_yaml
    Node, Seq = yamlio.Node, yamlio.Seq
    atoms = (str, int, float, bool, type(None), datetime.date, datetime.datetime)
    trees: dict[str, object] = {}

    def copy(v):
        if type(v) is Node:
            n = Node((k, copy(x)) for k, x in v.items())
            n.__dict__.update(v.__dict__)
            n.key_lines = dict(v.key_lines)
            return n
        if type(v) is Seq:
            s = Seq([copy(x) for x in v])
            s.__dict__.update(v.__dict__)
            s.lines = list(v.lines)
            return s
        return v

    def plain(v) -> bool:
        if type(v) is Node:
            return set(v.__dict__) == {"line", "key_lines"} and all(plain(x) for x in v.values())
        if type(v) is Seq:
            return set(v.__dict__) == {"line", "lines"} and all(plain(x) for x in v)
        return type(v) in atoms

    def parse_yaml(text: str, label: str):
        tree = trees.get(text)
        if tree is None:
            tree = real(text, label)  # (an error is raised here, with this label)
            if len(text) > 1_000_000 or not plain(tree):
                return tree
            trees[text] = tree
        return copy(tree)

    with _everywhere("parse_yaml", real, parse_yaml):
        yield


@pytest.fixture(scope="session", autouse=True)
def _places_read_once():
    """The place book (``kb.places.load_places``: ~3 200 places from
    places.tsv, places.yaml and the plans' vocabulary files, ~45 ms) read
    once per test process for each state of its files: a validation, a
    build and a draft of one data copy each read it, ~190 times a run.  The
    key is everything the book is made from — the data directory and the
    working directory (its files' labels), and the bytes of every file it
    reads — and only a read that found no problem is kept; each caller
    gets its own dicts (the records are frozen), as a fresh read gives."""
    from chengzhen.ingest.known import book_copy
    from chengzhen.kb import places as KP
    from chengzhen.kb.files import VOCABULARY_DIR

    real = KP.load_places
    books: dict = {}

    def state(data_dir: Path):
        def read(path: Path):
            try:
                return path.read_bytes()
            except OSError as exc:
                return type(exc).__name__
        try:
            vocab = sorted(os.listdir(Path(data_dir) / VOCABULARY_DIR))
        except OSError as exc:
            vocab = [type(exc).__name__]
        return (str(Path(data_dir).resolve()), os.getcwd(), read(Path(data_dir) / "places.tsv"),
                read(Path(data_dir) / "places.yaml"),
                tuple((n, read(Path(data_dir) / VOCABULARY_DIR / n)) for n in vocab))

    def load_places(data_dir, sink=None):
        key = state(data_dir)
        book = books.get(key)
        if book is None:
            before = (len(sink.problems), sink.coverage) if sink is not None else None
            book = real(data_dir, sink)  # (without a sink a problem raises here)
            if sink is not None and (len(sink.problems), sink.coverage) != before:
                return book
            books[key] = book
        return book_copy(book)

    with _everywhere("load_places", real, load_places):
        yield


@pytest.fixture(autouse=True)
def _real_env(real_db, monkeypatch, _data_read_once, _yaml_parsed_once, _places_read_once):
    monkeypatch.setenv("CZ_DATA", str(DATA))
    monkeypatch.setenv("CZ_DB", str(real_db))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("CZ_DEBUG", raising=False)


@pytest.fixture
def cz():
    return lambda *args, stdin=None, env=None: run_cz(list(args), stdin=stdin, env=env)


@pytest.fixture
def conn(real_db):
    from chengzhen.store.db import open_readonly

    c = open_readonly(real_db)
    yield c
    c.close()


# the tiny plan: a small, complete data directory, kept as files (tests/data/tiny)
TINY_DIR = REPO / "tests" / "data" / "tiny"
TINY_SOURCE = (TINY_DIR / "sources" / "tiny.txt").read_text(encoding="utf-8")
TINY_BODY = (TINY_DIR / "plans" / "tiny.yaml").read_text(encoding="utf-8")


def make_tiny(root: Path) -> Path:
    shutil.copytree(TINY_DIR, root, dirs_exist_ok=True)
    return root


@pytest.fixture
def tiny(tmp_path, monkeypatch) -> Path:
    root = make_tiny(tmp_path / "data")
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    return root


@pytest.fixture
def real_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of the real data (for tests that edit it)."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    return root


def _restorable(tmp_path_factory, name: str, make) -> tuple[Path, Path]:
    """A data directory made by ``make(root)`` and built, once per test
    process, at the one path its restored copies take (a database is up to
    date only for the data directory it was built from); kept aside to
    restore: (home, template)."""
    from chengzhen.store.build import build

    home = tmp_path_factory.mktemp(name)
    make(home / "data")
    build(home / "data", home / "db" / "chengzhen.db")
    template = tmp_path_factory.mktemp(f"{name}-template") / "copy"
    shutil.copytree(home, template)
    return home, template


def _restore(home: Path, template: Path) -> tuple[Path, Path]:
    shutil.rmtree(home)
    shutil.copytree(template, home)
    return home / "data", home / "db" / "chengzhen.db"


def _with_made_up_province(root: Path) -> None:
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    declare_places(root, regions=("甲乙省",))


@pytest.fixture(scope="session")
def _province_template(tmp_path_factory) -> tuple[Path, Path]:
    return _restorable(tmp_path_factory, "province-data", _with_made_up_province)


@pytest.fixture
def province_data(_province_template, monkeypatch) -> Path:
    """A private copy of the data with a made-up province (甲乙省) declared,
    its database built (once per process: a write's build is then
    incremental), and CZ_DATA/CZ_DB pointing at it."""
    root, db = _restore(*_province_template)
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(db))
    return root


@pytest.fixture(scope="session")
def _built_template(tmp_path_factory) -> tuple[Path, Path]:
    return _restorable(tmp_path_factory, "built-copy",
                       lambda root: shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build")))


@pytest.fixture
def built_copy(_built_template) -> tuple[Path, Path]:
    """(data, database): a private copy of the real data and its database,
    built — the state a full build of a fresh copy leaves, without building
    it again for each test (the copy is restored; the tests of one process
    run one at a time).  The next build of it is an incremental one."""
    return _restore(*_built_template)


@pytest.fixture(scope="session")
def _tiny_template(tmp_path_factory) -> tuple[Path, Path]:
    return _restorable(tmp_path_factory, "tiny-built", make_tiny)


@pytest.fixture
def tiny_built(_tiny_template, monkeypatch) -> Path:
    """``tiny`` with its database built (restored as ``built_copy`` is), for
    the tests whose first step is a good build to fall back on."""
    root, db = _restore(*_tiny_template)
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(db))
    return root


def declare_places(root: Path, regions: tuple[str, ...] = (), groups: tuple[str, ...] = ()) -> None:
    """Made-up places a test's made-up plan names, declared in a data copy's
    data/places.yaml as a curator would declare a real one (docs/places.md):
    each region a supplied top-level place (the first free code of 990000,
    980000 …), each group a named group whose members no source lists.
    Without them `cz validate` says the region names no place (E176) or the
    scope names nothing (E177).  A name declared already is left as it is."""
    import re

    path = root / "places.yaml"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r"code: '(\d{6})'", text))
    free = (f"{n}0000" for n in range(99, 90, -1) if f"{n}0000" not in used)
    supplied = "".join(f"  - {{code: '{next(free)}', name: {name}, short: {name[:-1]}, level: province, "
                       f"kind: {name[-1]}, parent: '000000', reason: 测试用的虚构地区}}\n"
                       for name in regions if f"name: {name}," not in text)
    text = text.replace("supplied:\n", "supplied:\n" + supplied, 1)
    listed = "".join(f"  - {{id: {g}, name: {g}, members: null, note: 测试用的虚构方案所写(成员无来源列明)}}\n"
                     for g in groups if f"id: {g}," not in text)
    if listed:
        text = text.replace("groups:\n", "groups:\n" + listed, 1)
    path.write_text(text, encoding="utf-8")


def held_regions() -> tuple[str, ...]:
    """The made-up regions of the held plans: the issuer's region on each
    source's first line (东川省人民政府关于印发…)."""
    import re

    out = []
    for src in held_plans():
        m = re.match(r"(.+?[省市县区])人民政府", src.read_text(encoding="utf-8").splitlines()[0])
        if m:
            out.append(m.group(1))
    return tuple(dict.fromkeys(out))


def dedent(s: str) -> str:
    return textwrap.dedent(s)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The package built as a wheel, once per session (tests/test_install.py, tests/test_web.py)."""
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(out), str(REPO)], capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        # no hatchling in this environment: build in isolation (needs the package index)
        res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                             capture_output=True, text=True, timeout=600)
    if res.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {res.stderr.strip().splitlines()[-1:]}")
    return next(out.glob("chengzhen-*.whl"))


# meta keys that differ between two builds of the same inputs
VOLATILE_META = {"built_at", "build_mode", "generation", "stats",
                 # each input folder's stamp, recorded or not by how recently it changed (store/freshness.py)
                 "input_folder:vocabulary", "input_folder:plans", "input_folder:sources", "input_folder:statistics"}


def table_rows(db: Path) -> dict[str, list]:
    """Every declared table's rows, sorted, volatile meta left out (the
    contentless FTS table is compared through queries, not read here)."""
    import sqlite3

    from chengzhen.store import schema

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table in schema.tables():
            if table == "docs_fts":
                continue
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()
            if table == "meta":
                rows = [r for r in rows if r[0] not in VOLATILE_META]
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def plan_ids(conn) -> list[str]:
    """The database's plans, in catalogue order (tests never list them)."""
    return [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]


def cz_json(cz, *args) -> dict:
    """A command's JSON envelope (exit 0, or 1 for "nothing found")."""
    res = cz(*args, "--format", "json")
    assert res.code in (0, 1), res.err
    return json.loads(res.out)


# --------------------------------------------------------------------------- held plans: ingested, then accepted

# plans written for the tests in 公文 style (invented, not copied from anywhere):
# `cz ingest` drafts them as a curator would get them
HELD_DIR = REPO / "tests" / "data" / "held"


def held_plans() -> list[Path]:
    return sorted(HELD_DIR.glob("*.txt"))


def accept_flags(root: Path, pid: str) -> int:
    """Accept every review flag of plan ``pid`` — its file's flags and the
    vocabulary it proposed — as a curator does, with the command:
    ``cz review ID --accept all``.  Returns how many were accepted."""
    res = run_cz(["review", pid, "--accept", "all", "--format", "json"],
                 env={"CZ_DATA": str(root), "CZ_DB": str(root.parent / f"{root.name}-review.db")})
    assert res.code in (0, 1), res.err
    return len(json.loads(res.out)["accepted"])


def with_held_plans(root: Path) -> list[str]:
    """Ingest every held plan into the data directory ``root`` (its own id:
    the file's name) and accept its flags; returns the plan ids."""
    ids = []
    declare_places(root, regions=held_regions())  # their regions are made up: declared as places (E176)
    for src in held_plans():
        if (root / "plans" / f"{src.stem}.yaml").exists():  # (a data directory that holds it already)
            ids.append(src.stem)
            continue
        res = run_cz(["ingest", str(src), "--id", src.stem, "--format", "json"],
                     env={"CZ_DATA": str(root), "CZ_DB": str(root.parent / f"{root.name}-ingest.db")})
        assert res.code == 0, res.err
        accept_flags(root, src.stem)
        ids.append(src.stem)
    return ids


# --------------------------------------------------------------------------- plan-parametrized tests: a sample, all under slow

def _changed_plans() -> set[str]:
    """Plans whose files the working tree or the last commit changed (git), and
    plans of a CZ_TEST_DATA directory that the repository's data lacks."""
    import subprocess

    out: set[str] = set()
    if DATA != REPO / "data":
        out |= {p.stem for p in (DATA / "plans").glob("*.yaml")} - {p.stem for p in (REPO / "data" / "plans").glob("*.yaml")}
    names: list[str] = []
    for args in (["status", "--porcelain", "--untracked-files=all", "--", "data"],
                 ["diff", "--name-only", "HEAD~1", "HEAD", "--", "data"]):
        try:
            got = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            continue
        if got.returncode == 0:
            names += [ln[3:] if args[0] == "status" else ln for ln in got.stdout.splitlines()]
    for name in names:
        parts = Path(name.strip().split(" -> ")[-1]).parts
        if len(parts) == 3 and parts[0] == "data" and parts[1] in ("plans", "sources", "vocabulary"):
            out.add(Path(parts[2]).stem)
    return out


def plan_sample(plans) -> set[str]:
    """The plans the quick suite runs a plan-parametrized test on: the first
    plan of each level and script in listing order — a province, a city,
    the traditional one … — and every plan the working tree or the last
    commit changed.  CZ_ALL_PLANS=1: all of them."""
    plans = list(plans)
    if os.environ.get("CZ_ALL_PLANS"):
        return {p.id for p in plans}
    sample: dict[tuple, str] = {}
    for p in plans:
        sample.setdefault((p.level, p.script), p.id)
    return set(sample.values()) | (_changed_plans() & {p.id for p in plans})


def plan_params(plans) -> list:
    """``pytest.param``s of plan ids: the sample as is, the others marked
    slow (CI runs them: pytest -m slow) — the quick suite does not grow with
    the catalogue."""
    plans = list(plans)
    keep = plan_sample(plans)
    return [pytest.param(p.id) if p.id in keep else pytest.param(p.id, marks=pytest.mark.slow) for p in plans]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium per test process for the browser tests
    (test_web_browser.browser resets it for each module): starting one is
    about a second of CPU."""
    from test_web_browser import start_chromium

    driver, profile = start_chromium()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


# --------------------------------------------------------------------------- xdist: what runs on one worker

# `pytest -n 2` (without --dist) sends each test file to one worker, whole,
# so a module's fixtures (a data copy built, a server started) are made once,
# not once per worker; files that share a per-process cost go together.  (Not
# xdist's loadgroup: with pytest 9 its group marks do not reach the scheduler.)
SHARED = {
    # one Chromium (conftest.chromium), started once
    "test_web_browser.py": "browser", "test_web_errors_browser.py": "browser", "test_web_progress_browser.py": "browser",
    # tools/i18n.py's extraction (Babel reads every source file) and its problem sites, made once per process
    # (test_i18n._tool)
    "test_i18n.py": "i18n", "test_problem_messages.py": "i18n", "test_review_messages.py": "i18n",
}


def _file_name(nodeid: str) -> str:
    return nodeid.split("::", 1)[0].rsplit("/", 1)[-1]


# the longest unit first: each file's seconds (setup, call and teardown of its tests) in the last run that ran
# it, kept per marker expression beside the bytecode cache; a file never timed is guessed from its tests' count
TIMES = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chengzhen-tests" / "file-seconds.json"
_SPENT: dict[str, list] = {}


# what a fresh checkout starts from, before its first run has timed anything (the quick suite's files)
TIMES_COMMITTED = REPO / "tests" / "file-seconds.json"


def _times_key(config) -> str:
    """The runs a file's seconds are kept for: the marker expression, and
    the fuzz budget when not the default (CI's full budget times the fuzz
    tests twenty times longer: its runs must not reorder a default run's)."""
    return (config.getoption("markexpr") or "") + (f" fuzz={FUZZ_SCALE:g}" if FUZZ_SCALE != FUZZ_DEFAULT else "")


def _recorded(config) -> dict[str, list]:
    for path in (TIMES, TIMES_COMMITTED):
        try:
            got = json.loads(path.read_text(encoding="utf-8")).get(_times_key(config))
        except (OSError, ValueError, AttributeError):
            continue
        if got:
            return got
    return {}


def pytest_runtest_logreport(report):
    # (under xdist: in the main process, from the workers' reports)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    spent = _SPENT.setdefault(_file_name(report.nodeid), [0.0, 0])
    spent[0] += report.duration
    spent[1] += report.when == "call" or (report.when == "setup" and report.outcome != "passed")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("PYTEST_XDIST_WORKER") or not _SPENT or exitstatus not in (0, 1):
        return
    try:
        every = json.loads(TIMES.read_text(encoding="utf-8")) if TIMES.is_file() else {}
        every.setdefault(_times_key(session.config), {}).update(
            {name: [round(sec, 2), n] for name, (sec, n) in _SPENT.items()})
        TIMES.parent.mkdir(parents=True, exist_ok=True)
        tmp = TIMES.with_name(f"{TIMES.name}.{os.getpid()}")
        tmp.write_text(json.dumps(every, sort_keys=True), encoding="utf-8")
        os.replace(tmp, TIMES)
    except (OSError, ValueError):
        pass  # the order is only a guess: a run without it is as right, only less even


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    given = any(a == "-d" or a.startswith("--dist") for a in config.invocation_params.args)
    if config.getvalue("dist") != "load" or given:  # --dist chosen on the command line: xdist's own
        return None
    from xdist.scheduler import LoadScopeScheduling

    recorded = _recorded(config)
    per_test = sum(s for s, _n in recorded.values()) / max(1, sum(n for _s, n in recorded.values())) or 1.0

    class ByFile(LoadScopeScheduling):
        """xdist's loadscope, a unit being a file or a SHARED group, the longest
        first as the last run timed them (else the most tests first): the
        workers end together, not one waiting on a long file taken last."""

        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            name = _file_name(nodeid)
            return SHARED.get(name, name)

        def _cost(self, nodeids) -> float:
            count: dict[str, int] = {}
            for nodeid in nodeids:
                count[_file_name(nodeid)] = count.get(_file_name(nodeid), 0) + 1
            return sum(recorded[f][0] / max(1, recorded[f][1]) * n if f in recorded else per_test * n
                       for f, n in count.items())

        def _assign_work_unit(self, node) -> None:
            if not self.ordered:
                self.ordered = True
                units = sorted(self.workqueue.items(), key=lambda kv: -self._cost(kv[1]))
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

    return ByFile(config, log)
